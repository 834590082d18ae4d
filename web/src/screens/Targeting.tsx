/** Targeting (commercial ops self-service): the targeting versions (the one in force, earlier ones
 * read-only, drafts edited by ops and admin: calls per product × tier, segmentation, publishing)
 * and the bulk uploads of master data. `#/targeting` lists; `#/targeting/<id>` opens a version. */
import { useApp } from '../context';
import { canEditTargeting, canImportMasterData } from '../lib/targeting';
import { BulkUpload } from './targeting/BulkUpload';
import { VersionPage } from './targeting/VersionPage';
import { VersionsSection } from './targeting/Versions';
import './planning.css';

export function Targeting({ versionId }: { versionId: string | null }) {
  const { me } = useApp();
  return (
    <div class="screen targeting" data-testid="targeting">
      <div class="screen-head">
        <h1>Targeting</h1>
        <span class="muted small">
          {canEditTargeting(me) ? 'Versions and uploads' : 'Versions (read only)'}
        </span>
      </div>
      {versionId ? (
        <VersionPage id={versionId} />
      ) : (
        <>
          <VersionsSection />
          {canImportMasterData(me) && <BulkUpload />}
        </>
      )}
    </div>
  );
}
