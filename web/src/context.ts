import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api/client';
import type { Me, Specialty } from './api/types';

export interface AppCtx {
  api: Api;
  me: Me;
  specialties: () => Promise<Specialty[]>;
}

export const Ctx = createContext<AppCtx | null>(null);

export function useApp(): AppCtx {
  const c = useContext(Ctx);
  if (!c) throw new Error('AppCtx missing');
  return c;
}
