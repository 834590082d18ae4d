/** RFC 9457 problem+json handling. */

export interface FieldErrorItem {
  field: string;
  message: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string | null;
  code?: string;
  errors?: FieldErrorItem[] | null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  /** Field name -> messages joined with "; ". */
  readonly fieldErrors: Record<string, string>;

  constructor(status: number, body: ProblemBody | null) {
    const title = body?.title || defaultTitle(status);
    const detail = body?.detail || title;
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code || (status === 0 ? 'network_error' : `http_${status}`);
    this.title = title;
    this.detail = detail;
    this.fieldErrors = toFieldErrors(body?.errors);
  }
}

function defaultTitle(status: number): string {
  if (status === 0) return 'Network error: the server could not be reached';
  if (status === 401) return 'Not signed in';
  if (status === 403) return 'Not allowed';
  if (status === 404) return 'Not found';
  if (status >= 500) return 'Server error';
  return `Request failed (${status})`;
}

export function toFieldErrors(errors: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(errors)) return out;
  for (const e of errors) {
    if (!e || typeof e !== 'object') continue;
    const { field, message } = e as Partial<FieldErrorItem>;
    if (typeof field !== 'string' || typeof message !== 'string') continue;
    out[field] = out[field] ? `${out[field]}; ${message}` : message;
  }
  return out;
}

function isProblemLike(v: unknown): v is ProblemBody {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Builds an ApiError from an error body as openapi-fetch hands it over (parsed JSON, text, or nothing). */
export function problemFromBody(status: number, body: unknown): ApiError {
  if (isProblemLike(body)) return new ApiError(status, body);
  if (typeof body === 'string' && body.trim()) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (isProblemLike(parsed)) return new ApiError(status, parsed);
    } catch {
      /* plain text */
    }
    return new ApiError(status, { detail: body.trim().slice(0, 300) });
  }
  return new ApiError(status, null);
}

/** Reads a failed Response into an ApiError (problem+json, any JSON, or text). */
export async function problemFromResponse(res: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await res.text();
  } catch {
    /* ignore */
  }
  return problemFromBody(res.status, text);
}
