/**
 * TEMPORARY hand-written stand-in for the generated schema.
 * Regenerate with `npm run gen:api` once the server binary exists.
 */

type NoParams = { query?: never; header?: never; path?: never; cookie?: never };
type Json<T> = { headers: { [name: string]: unknown }; content: { "application/json": T } };
type ProblemResp = { headers: { [name: string]: unknown }; content: { "application/problem+json": components["schemas"]["Problem"] } };
type Rest = { put?: never; post?: never; delete?: never; options?: never; head?: never; patch?: never; trace?: never };

export interface paths {
    "/api/v1/auth/login": {
        parameters: NoParams;
        get?: never; put?: never; delete?: never; options?: never; head?: never; patch?: never; trace?: never;
        post: {
            parameters: NoParams;
            requestBody: { content: { "application/json": components["schemas"]["LoginRequest"] } };
            responses: { 200: Json<components["schemas"]["LoginResponse"]>; 401: ProblemResp; 422: ProblemResp };
        };
    };
    "/api/v1/auth/logout": {
        parameters: NoParams;
        get?: never; put?: never; delete?: never; options?: never; head?: never; patch?: never; trace?: never;
        post: {
            parameters: NoParams;
            requestBody?: never;
            responses: { 204: { headers: { [name: string]: unknown }; content?: never }; 401: ProblemResp };
        };
    };
    "/api/v1/me": {
        parameters: NoParams;
        get: { parameters: NoParams; requestBody?: never; responses: { 200: Json<components["schemas"]["Me"]>; 401: ProblemResp } };
    } & Rest;
    "/api/v1/hcps": {
        parameters: NoParams;
        get: {
            parameters: {
                query?: {
                    q?: string; specialty?: string; tier?: components["schemas"]["Tier"]; city?: string;
                    territory?: string; status?: components["schemas"]["HcpStatus"]; cursor?: string; limit?: number;
                };
                header?: never; path?: never; cookie?: never;
            };
            requestBody?: never;
            responses: { 200: Json<components["schemas"]["HcpPage"]>; 400: ProblemResp; 401: ProblemResp };
        };
    } & Rest;
    "/api/v1/hcps/{id}": {
        parameters: NoParams;
        get: {
            parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
            requestBody?: never;
            responses: { 200: Json<components["schemas"]["Hcp"]>; 401: ProblemResp; 404: ProblemResp };
        };
    } & Rest;
    "/api/v1/accounts": {
        parameters: NoParams;
        get: {
            parameters: {
                query?: { q?: string; type?: components["schemas"]["AccountType"]; city?: string; territory?: string; cursor?: string; limit?: number };
                header?: never; path?: never; cookie?: never;
            };
            requestBody?: never;
            responses: { 200: Json<components["schemas"]["AccountPage"]>; 400: ProblemResp; 401: ProblemResp };
        };
    } & Rest;
    "/api/v1/accounts/{id}": {
        parameters: NoParams;
        get: {
            parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
            requestBody?: never;
            responses: { 200: Json<components["schemas"]["Account"]>; 401: ProblemResp; 404: ProblemResp };
        };
    } & Rest;
    "/api/v1/specialties": {
        parameters: NoParams;
        get: { parameters: NoParams; requestBody?: never; responses: { 200: Json<components["schemas"]["Specialty"][]>; 401: ProblemResp } };
    } & Rest;
    "/api/v1/users": {
        parameters: NoParams;
        get: { parameters: NoParams; requestBody?: never; responses: { 200: Json<components["schemas"]["User"][]>; 401: ProblemResp; 403: ProblemResp } };
    } & Rest;
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Role: "rep" | "manager" | "ops" | "marketing" | "compliance" | "admin";
        Tier: "A" | "B" | "C";
        HcpStatus: "active" | "retired" | "deceased";
        AccountType: "hospital" | "clinic" | "pharmacy" | "drug_store" | "distributor" | "idn";
        Weekday: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
        Problem: {
            type: string; title: string; status: number; detail?: string | null; code: string;
            errors?: components["schemas"]["FieldError"][] | null;
        };
        FieldError: { field: string; message: string };
        LoginRequest: { username: string; password: string };
        LoginResponse: { token: string; expires_at: string; user: components["schemas"]["Me"] };
        Me: {
            id: string; username: string; display_name: string; role: components["schemas"]["Role"];
            territories: components["schemas"]["TerritoryRef"][];
        };
        TerritoryRef: { id: string; code: string; name: string };
        HcpPage: { items: components["schemas"]["HcpSummary"][]; next_cursor: string | null };
        HcpSummary: {
            id: string; npi: string; first_name: string; last_name: string; credentials: string;
            specialty_code: string; specialty_name: string; city: string; state: string; zip: string;
            status: components["schemas"]["HcpStatus"]; do_not_call: boolean; top_tier: components["schemas"]["Tier"] | null;
            territory: components["schemas"]["TerritoryRef"] | null;
        };
        Hcp: {
            id: string; npi: string; first_name: string; middle_name: string | null; last_name: string;
            suffix: string | null; credentials: string; specialty_code: string; specialty_name: string;
            status: components["schemas"]["HcpStatus"]; language: string; address: components["schemas"]["Address"];
            licences: components["schemas"]["Licence"][]; do_not_call: components["schemas"]["DoNotCall"] | null;
            preferred_call_times: components["schemas"]["CallWindow"][]; affiliations: components["schemas"]["Affiliation"][];
            segments: components["schemas"]["Segment"][]; territory: components["schemas"]["TerritoryRef"] | null;
            created_at: string; updated_at: string;
        };
        Address: {
            line1: string; line2: string | null; city: string; state: string; zip: string;
            latitude: number | null; longitude: number | null;
        };
        Licence: { state: string; number: string; expires_on: string; active: boolean };
        DoNotCall: { reason: string; set_by: string; set_at: string };
        CallWindow: { day: components["schemas"]["Weekday"]; from: string; to: string };
        Affiliation: { account_id: string; account_name: string; account_type: components["schemas"]["AccountType"]; role: string; primary: boolean };
        Segment: { product_id: string; product_name: string; tier: components["schemas"]["Tier"]; decile: number; set_on: string };
        AccountPage: { items: components["schemas"]["AccountSummary"][]; next_cursor: string | null };
        AccountSummary: {
            id: string; name: string; account_type: components["schemas"]["AccountType"]; city: string; state: string; zip: string;
            territory: components["schemas"]["TerritoryRef"] | null;
        };
        Account: {
            id: string; name: string; account_type: components["schemas"]["AccountType"]; parent: components["schemas"]["AccountRef"] | null;
            address: components["schemas"]["Address"]; territory: components["schemas"]["TerritoryRef"] | null;
            children: components["schemas"]["AccountRef"][]; affiliated_hcps: components["schemas"]["AffiliatedHcp"][];
        };
        AccountRef: { id: string; name: string; account_type: components["schemas"]["AccountType"] };
        AffiliatedHcp: { hcp_id: string; name: string; specialty_name: string; role: string; primary: boolean };
        Specialty: { code: string; name: string };
        User: { id: string; username: string; display_name: string; role: components["schemas"]["Role"]; active: boolean };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
