import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApi } from './api/client';
import type { Me, Specialty } from './api/types';
import { Ctx, type AppCtx } from './context';
import { notePreviousHash, parseHash, type Route } from './lib/router';
import { homeHref, navItems } from './lib/nav';
import { canReadAlignment } from './lib/alignment';
import { usesFieldApp } from './lib/permissions';
import { clearSession, loadToken, loadUser, saveSession, saveUser } from './lib/session';
import { TopBar } from './components/TopBar';
import { Loading } from './components/bits';
import { Login } from './screens/Login';
import { HcpList } from './screens/HcpList';
import { HcpProfile } from './screens/HcpProfile';
import { AccountList } from './screens/AccountList';
import { AccountProfile } from './screens/AccountProfile';
import { Users } from './screens/Users';
import { Coverage } from './screens/Coverage';
import { Targeting } from './screens/Targeting';
import { Realignment } from './screens/Realignment';
import { Today } from './screens/Today';
import { CallForm } from './screens/CallForm';
import { SyncScreen } from './screens/SyncScreen';
import { LocalHcpList } from './screens/LocalHcpList';
import { LocalHcpProfile } from './screens/LocalHcpProfile';
import { Samples } from './screens/Samples';
import { SampleOversight } from './screens/oversight/Oversight';
import { Stewardship } from './screens/Stewardship';
import { Completeness } from './screens/Completeness';
import { ProposeHcp } from './screens/proposals/ProposeHcp';
import { MyRequests } from './screens/proposals/DataRequests';
import { canProposeHcpData } from './lib/hcpProposal';
import { OfflineProvider, useOfflineMaybe } from './offline/context';

function isOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = (e: HashChangeEvent) => {
      notePreviousHash(e.oldURL);
      setRoute(parseHash(location.hash));
    };
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function App() {
  const tokenRef = useRef<string | null>(loadToken());
  const [stored] = useState(() => (tokenRef.current ? loadUser() : null));
  const [me, setMe] = useState<Me | null>(() => stored?.user ?? null);
  // A user cached before the server sent permissions has none: online, wait for `/me` rather than
  // show (and route to) a screen set that is about to change; offline, carry on with none.
  const staleRef = useRef(!!stored?.stale);
  const [awaitingMe, setAwaitingMe] = useState(() => staleRef.current && isOnline());
  const [notice, setNotice] = useState<string | null>(null);
  const route = useHashRoute();

  const signOutLocal = useCallback((message: string | null) => {
    tokenRef.current = null;
    staleRef.current = false;
    clearSession();
    setMe(null);
    setAwaitingMe(false);
    setNotice(message);
  }, []);

  const api = useMemo(
    () =>
      createApi({
        getToken: () => tokenRef.current,
        onUnauthorized: () => signOutLocal('Your session has ended. Please sign in again.'),
      }),
    [signOutLocal],
  );

  // Refresh the user (role, permissions, territories) from the server on start, and once back
  // online while the cached user still lacks permissions.
  useEffect(() => {
    const refresh = () => {
      if (!tokenRef.current) return;
      api.me().then(
        (u) => {
          staleRef.current = false;
          saveUser(u);
          setMe(u);
          setAwaitingMe(false);
        },
        () => {
          /* a 401 already signed out; other errors keep the cached user */
          setAwaitingMe(false);
        },
      );
    };
    refresh();
    const onOnline = () => {
      if (staleRef.current) refresh();
    };
    addEventListener('online', onOnline);
    return () => removeEventListener('online', onOnline);
  }, [api]);

  const specialtiesCache = useRef<Promise<Specialty[]> | null>(null);
  const ctx: AppCtx | null = useMemo(
    () =>
      me
        ? {
            api,
            me,
            specialties: () => {
              if (!specialtiesCache.current) {
                specialtiesCache.current = api.specialties().catch((e) => {
                  specialtiesCache.current = null;
                  throw e;
                });
              }
              return specialtiesCache.current;
            },
          }
        : null,
    [api, me],
  );

  const onLoggedIn = (token: string, user: Me) => {
    tokenRef.current = token;
    staleRef.current = false;
    saveSession(token, user);
    setNotice(null);
    setMe(user);
    const r = parseHash(location.hash);
    if (r.name === 'login' || r.name === 'home' || r.name === 'notfound')
      location.hash = homeHref(user);
  };

  const logout = async () => {
    try {
      await api.logout();
    } catch {
      /* token may already be invalid; log out locally anyway */
    }
    signOutLocal(null);
    location.hash = '#/login';
  };

  if (!me || !ctx) {
    return <Login api={api} notice={notice} onLoggedIn={onLoggedIn} />;
  }
  if (awaitingMe) return <Loading />;

  const body = (
    <Ctx.Provider value={ctx}>
      <Main me={me} route={route} onLogout={logout} />
    </Ctx.Provider>
  );
  if (!usesFieldApp(me)) return body;
  return (
    <OfflineProvider
      key={me.id}
      me={me}
      getToken={() => tokenRef.current}
      onUnauthorized={() => signOutLocal('Your session has ended. Please sign in again.')}
    >
      {body}
    </OfflineProvider>
  );
}

function Main({ me, route, onLogout }: { me: Me; route: Route; onLogout: () => void }) {
  const offline = useOfflineMaybe();
  // Reps read from IndexedDB; if the server has no sync endpoints they fall back to the online screens.
  const local = !!offline && !offline.sync.unsupported;
  const allowed = new Set(navItems(me).map((n) => n.key));
  let screen;
  let active: string | null = null;
  switch (route.name) {
    case 'today':
      active = 'today';
      screen = allowed.has('today') && offline && <Today />;
      break;
    case 'call':
      active = 'today';
      screen = local && <CallForm key={route.id + route.query} id={route.id} query={route.query} />;
      break;
    case 'sync':
      screen = offline && <SyncScreen />;
      break;
    case 'samples':
      active = 'samples';
      screen = allowed.has('samples') && local && <Samples />;
      break;
    case 'hcps':
      active = 'hcps';
      screen =
        allowed.has('hcps') &&
        (local ? (
          <LocalHcpList key={'lhcps'} initialQuery={route.query} />
        ) : (
          <HcpList key={'hcps'} initialQuery={route.query} />
        ));
      break;
    case 'hcp':
      active = 'hcps';
      screen =
        allowed.has('hcps') &&
        (local ? (
          <LocalHcpProfile key={route.id} id={route.id} />
        ) : (
          <HcpProfile key={route.id} id={route.id} />
        ));
      break;
    case 'hcp-new':
      active = 'hcps';
      screen = allowed.has('hcps') && canProposeHcpData(me) && (
        <ProposeHcp key={route.query} query={route.query} />
      );
      break;
    case 'requests':
      active = 'hcps';
      screen = allowed.has('hcps') && canProposeHcpData(me) && <MyRequests />;
      break;
    case 'accounts':
      active = 'accounts';
      screen = allowed.has('accounts') && (
        <AccountList key={'accounts'} initialQuery={route.query} />
      );
      break;
    case 'account':
      active = 'accounts';
      screen = allowed.has('accounts') && <AccountProfile key={route.id} id={route.id} />;
      break;
    case 'coverage':
      active = 'coverage';
      screen = allowed.has('coverage') && <Coverage key={'coverage'} initialQuery={route.query} />;
      break;
    case 'targeting':
      active = 'targeting';
      screen = allowed.has('targeting') && (
        <Targeting key={route.id ?? 'versions'} versionId={route.id} />
      );
      break;
    case 'realignment':
      active = 'realignment';
      screen = allowed.has('realignment') && (
        <Realignment key={route.id ?? 'cycles'} id={route.id} />
      );
      break;
    case 'alignment':
      active = 'realignment';
      screen = allowed.has('realignment') && canReadAlignment(me) && (
        <Realignment key="alignment" id={null} alignment={route.query} />
      );
      break;
    case 'oversight':
      active = 'oversight';
      screen = allowed.has('oversight') && (
        <SampleOversight
          key={`${route.section}?${route.query}`}
          section={route.section}
          query={route.query}
        />
      );
      break;
    case 'stewardship':
      active = 'stewardship';
      screen = allowed.has('stewardship') && (
        <Stewardship
          key={`${route.section}?${route.query}`}
          section={route.section}
          query={route.query}
        />
      );
      break;
    case 'completeness':
      active = 'completeness';
      screen = allowed.has('completeness') && (
        <Completeness key={'completeness'} query={route.query} />
      );
      break;
    case 'users':
      active = 'users';
      screen = allowed.has('users') && <Users />;
      break;
    default:
      screen = null;
  }
  if (!screen) {
    // Unknown route or not allowed for this user: go to the user's home screen.
    const home = homeHref(me);
    if (location.hash !== home) queueMicrotask(() => (location.hash = home));
    screen = null;
  }
  return (
    <>
      <TopBar me={me} active={active} onLogout={onLogout} />
      <main class="main">{screen}</main>
    </>
  );
}
