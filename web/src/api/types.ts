import type { components } from './schema';

type S = components['schemas'];

export type Me = S['Me'];
export type Role = Me['role'];
export type TerritoryRef = S['TerritoryRef'];
export type HcpSummary = S['HcpSummary'];
export type HcpPage = S['HcpPage'];
export type Hcp = S['Hcp'];
export type Address = S['Address'];
export type Licence = S['Licence'];
export type CallWindow = S['CallWindow'];
export type Affiliation = S['Affiliation'];
export type Segment = S['Segment'];
export type AccountSummary = S['AccountSummary'];
export type AccountPage = S['AccountPage'];
export type Account = S['Account'];
export type AccountRef = S['AccountRef'];
export type AffiliatedHcp = S['AffiliatedHcp'];
export type Specialty = S['Specialty'];
export type User = S['User'];
export type Tier = NonNullable<HcpSummary['top_tier']>;
export type HcpStatus = HcpSummary['status'];
export type AccountType = AccountSummary['account_type'];
export type Call = S['Call'];
export type Product = S['Product'];
export type Picklists = S['Picklists'];
