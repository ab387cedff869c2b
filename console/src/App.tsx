// The shell: who is signed in decides the navigation and which screens may open. The API refuses
// everything a role may not do anyway; this only keeps people from meeting a dead end.
import type { ComponentChildren } from 'preact';
import type { Role } from './api/client';
import { Dashboard } from './pages/Dashboard';
import { DocumentPage } from './pages/DocumentPage';
import { IncidentPage } from './pages/IncidentPage';
import { Incidents } from './pages/Incidents';
import { NotificationBell } from './components/NotificationBell';
import { KnowledgeBase } from './pages/KnowledgeBase';
import { Macros } from './pages/Macros';
import { NewRequest } from './pages/NewRequest';
import { Notifications } from './pages/Notifications';
import { Queue } from './pages/Queue';
import { Register } from './pages/Register';
import { SignIn } from './pages/SignIn';
import { TicketList } from './pages/TicketList';
import { TicketPage } from './pages/TicketPage';
import { Users } from './pages/Users';
import { href, useRoute } from './router';
import { session, useSession } from './session';

const STAFF: Role[] = ['support', 'admin'];
const ADMIN: Role[] = ['admin'];

interface NavItem {
  path: string;
  label: string;
  roles?: Role[];
}

const NAV: NavItem[] = [
  { path: '/queue', label: 'Queue', roles: STAFF },
  { path: '/incidents', label: 'Incidents', roles: STAFF },
  { path: '/dashboard', label: 'Dashboard', roles: STAFF },
  { path: '/tickets', label: 'Tickets' },
  { path: '/requests/new', label: 'New request' },
  { path: '/kb', label: 'Knowledge base', roles: STAFF },
  { path: '/users', label: 'Users', roles: ADMIN },
  { path: '/macros', label: 'Canned replies', roles: ADMIN },
];

export function App() {
  const { user, ready, notice } = useSession();
  const route = useRoute();
  const [section, id] = route.parts;

  if (!ready) return <p class="muted boot" role="status">Loading…</p>;
  if (!user) return section === 'register' ? <Register /> : <SignIn notice={notice} />;

  const allowed = (roles?: Role[]) => !roles || roles.includes(user.role);
  const guard = (roles: Role[] | undefined, screen: ComponentChildren) => (allowed(roles) ? screen : <Forbidden />);
  const home = user.role === 'user' ? '/tickets' : '/queue';

  let screen: ComponentChildren;
  switch (section) {
    case undefined:
    case '':
      location.replace(href(home));
      return null;
    case 'tickets':
      screen = id ? <TicketPage ticketId={id} user={user} /> : <TicketList user={user} />;
      break;
    case 'requests':
      screen = <NewRequest user={user} followUpOf={route.query.get('follow_up_of')} />;
      break;
    case 'queue':
      screen = guard(STAFF, <Queue user={user} />);
      break;
    case 'incidents':
      screen = guard(STAFF, id ? <IncidentPage key={id} incidentId={id} /> : <Incidents />);
      break;
    case 'dashboard':
      screen = guard(STAFF, <Dashboard />);
      break;
    case 'kb':
      // A cited document is readable by everyone; managing the knowledge base is for staff.
      screen = id ? <DocumentPage documentId={id} highlight={route.query.get('chunk')} /> : guard(STAFF, <KnowledgeBase />);
      break;
    case 'users':
      screen = guard(ADMIN, <Users me={user} />);
      break;
    case 'notifications':
      screen = <Notifications />;
      break;
    case 'macros':
      screen = guard(ADMIN, <Macros />);
      break;
    default:
      screen = <NotFound />;
  }

  const active = `/${section}`;
  return (
    <>
      <a class="skip" href="#main" onClick={(event) => { event.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={href(home)}>IT Support Desk</a>
        <nav aria-label="Main">
          <ul>
            {NAV.filter((item) => allowed(item.roles)).map((item) => (
              <li key={item.path}>
                <a href={href(item.path)} aria-current={active === item.path || (item.path === '/requests/new' && section === 'requests') ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <NotificationBell current={section === 'notifications'} />
          <span>
            {user.full_name} <span class="role">({user.role})</span>
          </span>
          <button type="button" class="link" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {screen}
      </main>
    </>
  );
}

function Forbidden() {
  return (
    <section class="card narrow">
      <h1>Not available to your role</h1>
      <p>This screen is for support staff or administrators. If you need it, ask your IT administrator for the role.</p>
      <p>
        <a href={href('/tickets')}>Back to your tickets</a>
      </p>
    </section>
  );
}

function NotFound() {
  return (
    <section class="card narrow">
      <h1>Page not found</h1>
      <p>
        <a href={href('/')}>Go to the start page</a>
      </p>
    </section>
  );
}
