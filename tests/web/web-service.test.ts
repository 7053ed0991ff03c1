/**
 * The web service end to end: people sign in through the local OpenID provider (a real one, on loopback), see
 * their work, record events through forms derived from the event schemas, and are refused (403) whatever their
 * role does not allow — by link or by typing the address. Temporal's dev server and a cpflow worker run the cases.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, readCase } from '../../cli/cases/case-client';
import { caseCalendarData } from '../../cli/cases/inputs';
import { todayInEngland } from '../../cli/options';
import { loadPolicy } from '../../config/policy-loader';
import { dateParts, type IsoDate, WorkingDayCalendar } from '../../domain/calendar';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { testReferral } from '../support/case-fixtures';
import { createDevServerEnvironment } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import { UnknownRecipientError } from '../../mail/errors';
import { SyntheticStaffDirectory } from '../../mail/staff-directory';
import { HttpBrowser, type Page, type RunningWeb, startWeb, startTestWorker } from './support';

const temporal = useTestEnvironment({
  create: () => createDevServerEnvironment({ searchAttributes: CPFLOW_SEARCH_ATTRIBUTES }),
});
const taskQueue = `web-${randomInt(1_000_000)}`;
const today = todayInEngland();
const REF = `CP-${dateParts(today).year}-${String(randomInt(100_000, 999_999))}`;
let worker: { stop(): Promise<void> };
let web: RunningWeb;

beforeAll(async () => {
  // The directory the worker sends through has lost sw-0099's address (they are still on the roster).
  const all = new SyntheticStaffDirectory();
  worker = await startTestWorker(temporal(), taskQueue, {
    resolve: (recipient) =>
      recipient === 'practitioner:sw-0099'
        ? Promise.reject(new UnknownRecipientError(recipient, 'is not in the staff directory'))
        : all.resolve(recipient),
  });
  web = await startWeb(temporal().client, { taskQueue });
  const referral = testReferral({
    caseReference: REF,
    receivedOn: today,
    teamId: 'team-north',
    practitionerId: 'sw-0042',
  });
  await openCase(
    temporal().client,
    { referral, policy: loadPolicy('pan-bedfordshire'), calendar: caseCalendarData(referral.receivedOn) },
    { taskQueue },
  );
}, 180_000);

afterAll(async () => {
  await web?.stop();
  await worker?.stop();
});

const auditLength = async () => (await readCase(temporal().client, REF)).audit.length;

async function signedIn(staffId: string): Promise<{ browser: HttpBrowser; landing: Page }> {
  const browser = new HttpBrowser();
  const landing = await browser.signIn(web.url, staffId);
  return { browser, landing };
}

const dateFields = (prefix: string) => {
  const { year, month, day } = dateParts(today);
  return { [`${prefix}-day`]: String(day), [`${prefix}-month`]: String(month), [`${prefix}-year`]: String(year) };
};

describe('signing in', () => {
  it('signs a practitioner in through the OpenID provider and lands on My work with their case', async () => {
    const { landing } = await signedIn('sw-0042');
    expect(landing.status).toBe(200);
    expect(landing.url).toBe(`${web.url}/my-work`);
    expect(landing.body).toContain('data-staff-id="sw-0042"');
    expect(landing.body).toContain(`href="/cases/${REF}"`);
    expect(landing.body).toContain('data-step="referral-decision"');
  });

  it('refuses a wrong password and someone the directory gives no role', async () => {
    const wrong = await new HttpBrowser().signIn(web.url, 'sw-0042', 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('The staff id or password is not right');
    const unknown = await new HttpBrowser().signIn(web.url, 'sw-9999');
    expect(unknown.status).toBe(401);
  });

  it("says what went wrong at the provider by its code, never repeating the request's values", async () => {
    const bogus = await fetch(`${web.provider.issuer}/interaction/Emma-Smith-2015`);
    const body = await bogus.text();
    expect(bogus.status).toBeGreaterThanOrEqual(400);
    expect(body).not.toContain('Emma');
    const auth = await fetch(`${web.provider.issuer}/auth?client_id=Emma-Smith&response_type=code&scope=openid`);
    const page = await auth.text();
    expect(page).toContain('Sign-in failed');
    expect(page).toContain('(invalid_client)');
    expect(page).not.toContain('Emma');
  });

  it('sends someone not signed in to sign in, and answers the API with 401', async () => {
    const browser = new HttpBrowser();
    const page = await browser.get(`${web.url}/my-work`);
    expect(page.body).toContain('Sign in to cpflow');
    expect((await browser.get(`${web.url}/api/cases/${REF}`)).status).toBe(401);
  });

  it('signs out: the session is gone, and the provider signs them out too', async () => {
    const { browser, landing } = await signedIn('sw-0042');
    const out = await browser.post(`${web.url}/sign-out`, { _csrf: HttpBrowser.csrfOf(landing) });
    // The provider asks to confirm; the form is submitted as a person would.
    const action =
      /<form[^>]*id="op.logoutForm"[^>]*action="([^"]+)"|<form[^>]*action="([^"]+)"[^>]*id="op.logoutForm"/.exec(
        out.body,
      );
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(out.body)?.[1] ?? '';
    const target = action?.[1] ?? action?.[2];
    expect(target).toBeDefined();
    const done = await browser.post(new URL(target ?? '', out.url).href, { xsrf, logout: 'yes' });
    expect(done.url).toBe(`${web.url}/signed-out`);
    expect((await browser.get(`${web.url}/my-work`)).body).toContain('Sign in to cpflow');
  });
});

describe('recording an event', () => {
  it('shows what is wrong, records nothing, then records it and the step leaves My work', async () => {
    const { browser } = await signedIn('sw-0042');
    const form = await browser.get(`${web.url}/cases/${REF}/record/referral-decision`);
    expect(form.status).toBe(200);
    expect(form.body).toContain('name="decision"');
    const before = await auditLength();

    const bad = await browser.post(`${web.url}/cases/${REF}/record/referral-decision`, {
      _csrf: HttpBrowser.csrfOf(form),
      decision: 'section-47-enquiry',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('href="#occurredOn-day"');
    expect(await auditLength()).toBe(before);

    const good = await browser.post(`${web.url}/cases/${REF}/record/referral-decision`, {
      _csrf: HttpBrowser.csrfOf(bad),
      decision: 'section-47-enquiry',
      ...dateFields('occurredOn'),
    });
    expect(good.status).toBe(200);
    expect(good.body).toContain('Referral decision recorded');
    const view = await readCase(temporal().client, REF);
    expect(view.audit).toHaveLength(before + 1);
    expect(view.audit.at(-1)).toMatchObject({ recordedBy: 'sw-0042', event: { type: 'referral-decision' } });
    const work = await browser.get(`${web.url}/my-work`);
    expect(work.body).not.toContain('data-step="referral-decision"');
    expect(work.body).toContain('data-step="strategy-discussion"');
  });

  it('refuses a form posted without its CSRF token, and records nothing', async () => {
    const { browser } = await signedIn('sw-0042');
    const before = await auditLength();
    const replayed = await browser.post(`${web.url}/cases/${REF}/record/visit`, dateFields('occurredOn'));
    expect(replayed.status).toBe(403);
    expect(await auditLength()).toBe(before);
  });
});

describe('extensions: asked for by one person, agreed by a different signed-in manager', () => {
  it('records the request, shows it to the manager only as agreeable, and moves the due date once agreed', async () => {
    const due = async () =>
      (await readCase(temporal().client, REF)).timeline.steps.find((s) => s.id === 'strategy-discussion')?.dueDate;
    const current = await due();
    expect(current).toBeDefined();
    const calendar = WorkingDayCalendar.fromData(caseCalendarData(today));
    const later = calendar.addWorkingDays(current as IsoDate, 3);
    const { year, month, day } = dateParts(later);
    const { browser } = await signedIn('sw-0042');
    const form = await browser.get(`${web.url}/cases/${REF}/extension`);
    expect(form.status).toBe(200);
    const before = await auditLength();
    const missing = await browser.post(`${web.url}/cases/${REF}/extension`, {
      _csrf: HttpBrowser.csrfOf(form),
      stepId: 'strategy-discussion',
      'newDueDate-day': String(day),
      'newDueDate-month': String(month),
      'newDueDate-year': String(year),
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('href="#reason"');
    expect(await auditLength()).toBe(before);
    const asked = await browser.post(`${web.url}/cases/${REF}/extension`, {
      _csrf: HttpBrowser.csrfOf(missing),
      stepId: 'strategy-discussion',
      'newDueDate-day': String(day),
      'newDueDate-month': String(month),
      'newDueDate-year': String(year),
      reason: 'family-unavailable',
    });
    expect(asked.status).toBe(200);
    expect(asked.body).toContain('Extension asked for');
    expect(await due()).toBe(current);

    // The asker sees the request but cannot agree it, even by posting the form.
    const own = await browser.get(`${web.url}/cases/${REF}`);
    expect(own.body).toContain('data-request="strategy-discussion"');
    expect(own.body).not.toContain('/extensions/strategy-discussion/agree');
    const self = await browser.post(`${web.url}/cases/${REF}/extensions/strategy-discussion/agree`, {
      _csrf: HttpBrowser.csrfOf(own),
    });
    expect(self.status).toBe(403);
    expect(await due()).toBe(current);

    const manager = (await signedIn('tm-007')).browser;
    const casePage = await manager.get(`${web.url}/cases/${REF}`);
    expect(casePage.body).toContain(`/cases/${REF}/extensions/strategy-discussion/agree`);
    const agreed = await manager.post(`${web.url}/cases/${REF}/extensions/strategy-discussion/agree`, {
      _csrf: HttpBrowser.csrfOf(casePage),
    });
    expect(agreed.status).toBe(200);
    expect(agreed.body).toContain('Extension agreed');
    expect(await due()).toBe(later);
    expect((await readCase(temporal().client, REF)).audit.at(-1)).toMatchObject({
      recordedBy: 'tm-007',
      event: { type: 'deadline-extended', agreedBy: 'tm-007', requestedBy: 'sw-0042', newDueDate: later },
    });
  });
});

describe('a new referral, opened by the duty team', () => {
  const REF2 = `CP-${dateParts(today).year}-${String(randomInt(100_000, 999_999))}`;
  const form = (csrf: string, overrides: Record<string, string | string[]> = {}) => ({
    _csrf: csrf,
    caseReference: REF2,
    ...dateFields('receivedOn'),
    practitionerId: 'sw-0042',
    childAges: '4, 9',
    allegedPerson: ['livesWithChildren', 'worksOrVolunteersWithChildren'],
    devicesCount: '0',
    ...overrides,
  });

  it('shows what is wrong and opens nothing, then opens the case for the duty worker’s team', async () => {
    const { browser, landing } = await signedIn('dw-0001');
    expect(landing.url).toBe(`${web.url}/referrals/new`);
    expect(landing.body).toContain('value="sw-0042"');
    expect(landing.body).not.toContain('value="sw-0099"');
    const bad = await browser.post(
      `${web.url}/referrals/new`,
      form(HttpBrowser.csrfOf(landing), { caseReference: 'Emma Smith', childAges: 'four' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('href="#caseReference"');
    expect(bad.body).toContain('href="#childAges"');
    expect(bad.body).not.toContain('Emma Smith');
    const outsider = await browser.post(
      `${web.url}/referrals/new`,
      form(HttpBrowser.csrfOf(bad), { practitionerId: 'sw-0099' }),
    );
    expect(outsider.status).toBe(400);
    expect(outsider.body).toContain('must be a practitioner of your team');

    const opened = await browser.post(`${web.url}/referrals/new`, form(HttpBrowser.csrfOf(outsider)));
    expect(opened.status).toBe(200);
    expect(opened.body).toContain(REF2);
    const view = await readCase(temporal().client, REF2);
    expect(view.status).toMatchObject({
      teamId: 'team-north',
      practitionerId: 'sw-0042',
      authority: 'bedford-borough',
    });

    const again = await browser.post(`${web.url}/referrals/new`, form(HttpBrowser.csrfOf(opened)));
    expect(again.status).toBe(400);
    expect(again.body).toContain('is already used by another case');
  });

  it("puts the LADO referral on the LADO's list, and lets the LADO record their events on that case only", async () => {
    const { browser, landing } = await signedIn('lado-0101');
    expect(landing.url).toBe(`${web.url}/lado`);
    let list = landing;
    for (let i = 0; i < 40 && !list.body.includes(`href="/cases/${REF2}"`); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      list = await browser.get(`${web.url}/lado`);
    }
    expect(list.body).toMatch(new RegExp(`href="/cases/${REF2}"[\\s\\S]*?data-step="lado-`));
    expect(list.body).not.toContain(`href="/cases/${REF}"`);
    // The LADO sees the case's LADO track only: not the enquiry's steps, not the procedure's events.
    const casePage = await browser.get(`${web.url}/cases/${REF2}`);
    expect(casePage.status).toBe(200);
    expect(casePage.body).toContain('data-step="lado-referral"');
    expect(casePage.body).not.toContain('data-step="strategy-discussion"');
    expect(casePage.body).not.toContain('data-step="assessment-complete"');
    const form = await browser.get(`${web.url}/cases/${REF2}/record/lado-referral-acknowledged`);
    expect(form.status).toBe(200);
    expect((await browser.get(`${web.url}/cases/${REF2}/record/visit`)).status).toBe(403);
  });

  it('is refused to a practitioner', async () => {
    const { browser } = await signedIn('sw-0042');
    expect((await browser.get(`${web.url}/referrals/new`)).status).toBe(403);
    expect((await browser.get(`${web.url}/lado`)).status).toBe(403);
  });
});

describe('roles and scope, enforced on the server', () => {
  it('refuses every page and API call a role may not use, typed in or not', async () => {
    const cases = [
      ['sw-0099', `/cases/${REF}`],
      ['sw-0099', `/api/cases/${REF}`],
      ['sw-0042', '/team'],
      ['tm-008', `/cases/${REF}`],
      ['lado-0101', `/cases/${REF}`],
      ['au-0001', `/cases/${REF}/record`],
      ['au-0001', `/cases/${REF}/record/visit`],
      ['tm-007', '/my-work'],
      ['sw-0042', `/cases/${REF}/record/case-closed`],
      ['sw-0042', `/cases/${REF}/record/deadline-extended`],
      // Each page to each role that may not use it.
      ['au-0001', '/my-work'],
      ['lado-0101', '/my-work'],
      ['dw-0001', '/team'],
      ['lado-0101', '/team'],
      ['au-0001', '/team'],
      ['sw-0042', '/lado'],
      ['tm-007', '/lado'],
      ['au-0001', '/referrals/new'],
      ['lado-0101', '/referrals/new'],
      ['sm-0101', '/referrals/new'],
      ['au-0001', `/cases/${REF}/extension`],
      ['dw-0001', `/cases/${REF}/extension`],
      ['sw-0099', `/cases/${REF}/extension`],
      ['dw-0001', `/cases/${REF}/record`],
      ['sm-0301', `/cases/${REF}`],
      ['sm-0301', `/api/cases/${REF}`],
      ['au-0001', '/api/my-work'],
    ] as const;
    for (const [staffId, path] of cases) {
      const { browser } = await signedIn(staffId);
      const page = await browser.get(`${web.url}${path}`);
      expect({ staffId, path, status: page.status }).toEqual({ staffId, path, status: 403 });
      expect(page.body).not.toContain(`data-step=`);
    }
    // Opening referrals through the API is for case systems' tokens; staff use the form.
    const staff = (await signedIn('dw-0001')).browser;
    expect((await staff.post(`${web.url}/api/referrals`, { caseReference: 'CP-2026-000001' })).status).toBe(403);
    const refused = web.accessLog.entries.filter((e) => e.outcome === 'refused').map((e) => e.staffId);
    expect(new Set(refused)).toEqual(new Set(cases.map(([staffId]) => staffId)));
  });

  it('refuses a change from a role that may only read, even with a valid form token', async () => {
    const { browser } = await signedIn('au-0001');
    const page = await browser.get(`${web.url}/cases/${REF}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('Record an event');
    const before = await auditLength();
    const post = await browser.post(`${web.url}/cases/${REF}/record/visit`, {
      _csrf: HttpBrowser.csrfOf(page),
      ...dateFields('occurredOn'),
    });
    expect(post.status).toBe(403);
    expect(await auditLength()).toBe(before);
    expect(web.accessLog.entries).toContainEqual(
      expect.objectContaining({ staffId: 'au-0001', action: 'read-case', caseReference: REF, outcome: 'ok' }),
    );
  });

  it("shows a team manager their team's caseloads", async () => {
    const { browser, landing } = await signedIn('tm-007');
    expect(landing.url).toBe(`${web.url}/team`);
    expect(landing.body).toContain('data-table="caseloads"');
    expect(landing.body).toMatch(/<td class="govuk-table__cell">sw-0042<\/td>/);
    expect(landing.body).toContain('data-table="timeliness"');
    expect(landing.body).toContain('Initial Child Protection Conference within 15 working days');
    const page = await browser.get(`${web.url}/cases/${REF}`);
    expect(page.status).toBe(200);
  });
});

describe('an email that could not be delivered', () => {
  it('is shown on the case page, saying to whom, why and when it is tried again', async () => {
    const unreachable = `CP-${dateParts(today).year}-${String(randomInt(100_000, 999_999))}`;
    const referral = testReferral({
      caseReference: unreachable,
      receivedOn: today,
      teamId: 'team-south',
      practitionerId: 'sw-0099',
    });
    await openCase(
      temporal().client,
      { referral, policy: loadPolicy('pan-bedfordshire'), calendar: caseCalendarData(referral.receivedOn) },
      { taskQueue },
    );
    const { browser } = await signedIn('tm-008');
    let page = await browser.get(`${web.url}/cases/${unreachable}`);
    for (let i = 0; i < 40 && !page.body.includes('data-section="undelivered"'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      page = await browser.get(`${web.url}/cases/${unreachable}`);
    }
    expect(page.body).toContain('could not be delivered');
    expect(page.body).toMatch(/Allocation email about .* to practitioner:sw-0099: UnknownRecipient: /);
  });
});

describe('sessions', () => {
  it('expire after the time set without use: the next page asks to sign in again', async () => {
    const short = await startWeb(temporal().client, { taskQueue, sessionSeconds: 1 });
    try {
      const browser = new HttpBrowser();
      const landing = await browser.signIn(short.url, 'sw-0042');
      expect(landing.url).toBe(`${short.url}/my-work`);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      // The provider still knows them, so signing in again is one redirect away; the expired cookie alone is not enough.
      const again = await fetch(`${short.url}/my-work`, {
        redirect: 'manual',
        headers: { cookie: browser.cookieHeader(short.url) },
      });
      expect(again.status).toBe(302);
      expect(again.headers.get('location')).toBe('/sign-in');
    } finally {
      await short.stop();
    }
  });
});

describe('the case page', () => {
  it('shows when each entry of the audit trail was made in UK time, labelled', async () => {
    const { browser } = await signedIn('au-0001');
    const page = await browser.get(`${web.url}/cases/${REF}`);
    expect(page.body).toContain('When (UK time)');
    expect(page.body).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} (GMT|BST)/);
  });

  it("draws the timeline picture from the case's own timeline: one bar per dated step, with its status", async () => {
    const { browser } = await signedIn('sw-0042');
    const page = await browser.get(`${web.url}/cases/${REF}`);
    const view = await readCase(temporal().client, REF);
    const bars = [
      ...page.body.matchAll(/<g class="step" data-step="([^"]+)" data-status="([^"]+)"[^>]*data-due="([^"]+)"/g),
    ].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    const expected = view.timeline.steps
      .filter((s) => s.dueDate !== undefined && s.countsFrom !== undefined)
      .map((s) => `${s.id} ${s.status === 'due' ? 'upcoming' : s.status} ${s.dueDate}`);
    expect(bars.sort()).toEqual(expected.sort());
    expect(bars.length).toBeGreaterThan(0);
    expect(page.body).toContain(`data-today="${today}"`);
  });
});
