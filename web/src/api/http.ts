/** The request helpers the API modules share: unwrapping openapi-fetch results into data or an
 * ApiError, and raw text/csv uploads with the bearer token. */
import { ApiError, problemFromBody, problemFromResponse } from './problem';

type FetchResult<T> = { data?: T; error?: unknown; response: Response };

/** What an upload needs of the client's options. */
export interface UploadOptions {
  fetch?: typeof globalThis.fetch;
  getToken: () => string | null;
  onUnauthorized?: () => void;
}

export async function unwrap<T>(call: () => Promise<FetchResult<T>>): Promise<T> {
  let res: FetchResult<T>;
  try {
    res = await call();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(0, { detail: e instanceof Error ? e.message : String(e) });
  }
  if (res.error !== undefined || !res.response.ok) {
    throw problemFromBody(res.response.status, res.error);
  }
  return res.data as T;
}

/** POSTs a raw CSV body with the bearer token (openapi-fetch would serialise the body as JSON). */
export async function uploadCsv<T>(opts: UploadOptions, url: string, body: Blob): Promise<T> {
  const headers: Record<string, string> = {
    'Content-Type': 'text/csv',
    Accept: 'application/json, application/problem+json',
  };
  const token = opts.getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await (opts.fetch ?? globalThis.fetch)(url, { method: 'POST', headers, body });
  } catch (e) {
    throw new ApiError(0, { detail: e instanceof Error ? e.message : String(e) });
  }
  if (res.status === 401) opts.onUnauthorized?.();
  if (!res.ok) throw await problemFromResponse(res);
  return (await res.json()) as T;
}
