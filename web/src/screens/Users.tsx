import { useApp } from '../context';
import { useLoad } from '../hooks';
import { roleLabel } from '../lib/nav';
import { ErrorBox, Loading } from '../components/bits';

export function Users() {
  const { api } = useApp();
  const res = useLoad(() => api.users(), []);
  return (
    <div class="screen">
      <div class="screen-head">
        <h1>Users</h1>
      </div>
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' && (
        <>
          <p class="count" data-testid="shown-count">
            <strong>{res.data.length}</strong> users
          </p>
          <ul class="cards" data-testid="user-list">
            {res.data.map((u) => (
              <li key={u.id} class="card row" data-testid="user-card">
                <div class="row-link">
                  <div class="row-main">
                    <div class="row-title">{u.display_name}</div>
                    <div class="row-sub muted mono">{u.username}</div>
                  </div>
                  <div class="row-badges">
                    <span class="badge role">{roleLabel(u.role)}</span>
                    {!u.active && <span class="badge status">inactive</span>}
                  </div>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
