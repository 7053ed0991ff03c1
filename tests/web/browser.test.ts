/**
 * The web service in a real browser (Debian's Chromium driven by playwright-core): people sign in through the
 * OpenID provider's page, record an event after a validation error, see their work change; a manager sees the
 * overdue step on Team; and every page passes axe-core's WCAG 2.2 AA checks with no violation.
 */
import { randomInt } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, readCase } from '../../cli/cases/case-client';
import { caseCalendarData } from '../../cli/cases/inputs';
import { todayInEngland } from '../../cli/options';
import { loadPolicy } from '../../config/policy-loader';
import { dateParts, WorkingDayCalendar } from '../../domain/calendar';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from '../support/browser';
import { testReferral } from '../support/case-fixtures';
import { createDevServerEnvironment } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import { PASSWORD, type RunningWeb, startWeb, startTestWorker } from './support';

const chromiumPath = process.env[CHROMIUM_ENV]?.startsWith('/') ? process.env[CHROMIUM_ENV] : undefined;
if (chromiumPath === undefined) {
  console.log(`browser tests skipped: ${process.env[CHROMIUM_ENV] ?? 'the test setup did not look for Chromium'}`);
}

const temporal = useTestEnvironment({
  create: () => createDevServerEnvironment({ searchAttributes: CPFLOW_SEARCH_ATTRIBUTES }),
});
const taskQueue = `browser-${randomInt(1_000_000)}`;
const today = todayInEngland();
const year = dateParts(today).year;
/** A case received today, and one received 8 working days ago whose first steps are overdue. */
const NEW = `CP-${year}-${String(randomInt(100_000, 499_999))}`;
const LATE = `CP-${year}-${String(randomInt(500_000, 999_999))}`;
const screenshots = mkdtempSync(join(tmpdir(), 'cpflow-screens-'));
let worker: { stop(): Promise<void> };
let web: RunningWeb;
let browser: Browser;

describe.skipIf(chromiumPath === undefined)('in a browser', () => {
  beforeAll(async () => {
    worker = await startTestWorker(temporal(), taskQueue);
    web = await startWeb(temporal().client, { taskQueue });
    const calendar = WorkingDayCalendar.fromData(caseCalendarData(today));
    let late = today;
    for (let i = 0; i < 8; i += 1) late = calendar.previousWorkingDay(late);
    for (const [caseReference, receivedOn] of [
      [NEW, today],
      [LATE, late],
    ] as const) {
      const referral = testReferral({ caseReference, receivedOn, teamId: 'team-north', practitionerId: 'sw-0042' });
      await openCase(
        temporal().client,
        { referral, policy: loadPolicy('pan-bedfordshire'), calendar: caseCalendarData(receivedOn) },
        { taskQueue },
      );
    }
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await worker?.stop();
  });

  /** A fresh browser context signed in as `staffId` through the provider's page. */
  async function signIn(staffId: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${web.url}/sign-in`);
    await expectAccessible(page, 'sign-in');
    await page.getByLabel('Staff id').fill(staffId);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(new RegExp(`^${web.url}/`));
    return page;
  }

  /** axe-core at WCAG 2.0–2.2 A and AA: no violation. */
  async function expectAccessible(page: Page, name: string): Promise<void> {
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect({ page: name, violations: results.violations.map((v) => `${v.id}: ${v.help}`) }).toEqual({
      page: name,
      violations: [],
    });
  }

  it('signs a practitioner in, records an event after fixing an error, and the step leaves My work', async () => {
    const page = await signIn('sw-0042');
    expect(page.url()).toBe(`${web.url}/my-work`);
    await expectAccessible(page, 'my-work');
    await expect(page.locator(`tr:has(a[href="/cases/${NEW}"]) [data-step="referral-decision"]`).count()).resolves.toBe(
      1,
    );

    await page.goto(`${web.url}/cases/${NEW}`);
    await expectAccessible(page, 'case');
    await page.getByRole('button', { name: 'Record an event' }).click();
    await expectAccessible(page, 'choose-event');
    await page.getByRole('link', { name: 'Referral decision' }).click();
    await expectAccessible(page, 'record-event');
    await page.getByLabel('Section 47 enquiry').check();
    await page.getByRole('button', { name: /^Record referral decision/ }).click();
    // Nothing recorded: the error summary names the missing date, and links to it.
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Date it happened');
    await expectAccessible(page, 'record-event-with-errors');
    const { year: y, month, day } = dateParts(today);
    await page.locator('#occurredOn-day').fill(String(day));
    await page.locator('#occurredOn-month').fill(String(month));
    await page.locator('#occurredOn-year').fill(String(y));
    await page.getByRole('button', { name: /^Record referral decision/ }).click();
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('Referral decision recorded');
    await expectAccessible(page, 'recorded');
    await page.goto(`${web.url}/my-work`);
    await expect(page.locator(`tr:has(a[href="/cases/${NEW}"]) [data-step="referral-decision"]`).count()).resolves.toBe(
      0,
    );
    await expect(
      page.locator(`tr:has(a[href="/cases/${NEW}"]) [data-step="strategy-discussion"]`).count(),
    ).resolves.toBe(1);

    await page.goto(`${web.url}/cases/${NEW}/extension`);
    await expectAccessible(page, 'request-extension');
    await page.locator('input[name="stepId"]').first().check();
    const later = dateParts(WorkingDayCalendar.fromData(caseCalendarData(today)).addWorkingDays(today, 10));
    await page.locator('#newDueDate-day').fill(String(later.day));
    await page.locator('#newDueDate-month').fill(String(later.month));
    await page.locator('#newDueDate-year').fill(String(later.year));
    await page.getByLabel('Family unavailable').check();
    await page.getByRole('button', { name: 'Ask for the extension' }).click();
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('Extension asked for');
    await expectAccessible(page, 'extension-asked');
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForLoadState();
    await expectAccessible(page, 'provider-sign-out');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${web.url}/signed-out`);
    await expectAccessible(page, 'signed-out');
  }, 120_000);

  it('lets the duty team open a referral through the form, and the LADO see their list: both accessible', async () => {
    const duty = await signIn('dw-0001');
    expect(duty.url()).toBe(`${web.url}/referrals/new`);
    await expectAccessible(duty, 'new-referral');
    await duty.getByRole('button', { name: 'Open the case' }).click();
    await expect(duty.locator('.govuk-error-summary').count()).resolves.toBe(1);
    await expectAccessible(duty, 'new-referral-with-errors');
    // Filled in as a duty worker would: the case opens, allocated to the practitioner chosen.
    const reference = `CP-${year}-${String(randomInt(100_000, 999_999))}`;
    const { year: y, month, day } = dateParts(today);
    await duty.getByLabel('Case reference').fill(reference);
    await duty.locator('#receivedOn-day').fill(String(day));
    await duty.locator('#receivedOn-month').fill(String(month));
    await duty.locator('#receivedOn-year').fill(String(y));
    await duty.getByLabel('sw-0042').check();
    await duty.getByLabel('Ages of the children in the household').fill('4, 9');
    await duty.getByLabel('Lives in a household with children').check();
    await duty.getByLabel('Number of devices seized').fill('0');
    await duty.getByRole('button', { name: 'Open the case' }).click();
    await expect(duty.locator('.govuk-panel__title').textContent()).resolves.toContain('Case opened');
    await expectAccessible(duty, 'referral-opened');
    const lado = await signIn('lado-0101');
    expect(lado.url()).toBe(`${web.url}/lado`);
    await expectAccessible(lado, 'lado');
    const auditor = await signIn('au-0001');
    expect(auditor.url()).toBe(`${web.url}/`);
    await expectAccessible(auditor, 'home');
    // A service manager sees every team of their authority.
    const service = await signIn('sm-0101');
    expect(service.url()).toBe(`${web.url}/team`);
    await expect(service.locator(`[data-table="overdue"] a[href="/cases/${LATE}"]`).count()).resolves.toBeGreaterThan(
      0,
    );
  }, 120_000);

  it("shows a manager the overdue step on Team, and the case's timeline picture as its timeline says", async () => {
    const page = await signIn('tm-007');
    expect(page.url()).toBe(`${web.url}/team`);
    await expectAccessible(page, 'team');
    const overdue = page.locator(`[data-table="overdue"] tr:has(a[href="/cases/${LATE}"])`);
    await expect(overdue.count()).resolves.toBeGreaterThan(0);

    await page.goto(`${web.url}/cases/${LATE}`);
    const view = await readCase(temporal().client, LATE);
    const dated = view.timeline.steps.filter((s) => s.dueDate !== undefined && s.countsFrom !== undefined);
    await expect(page.locator('svg g.step').count()).resolves.toBe(dated.length);
    await expect(page.locator('svg g.step[data-status="overdue"]').count()).resolves.toBe(
      dated.filter((s) => s.status === 'overdue').length,
    );
    await page.locator('[data-figure="timeline"]').screenshot({ path: join(screenshots, 'timeline.png') });
    await expectAccessible(page, 'case-of-manager');

    // The procedure: the policy as a table and as a BPMN diagram drawn by bpmn-js, downloadable.
    await page.goto(`${web.url}/procedure`);
    await page.locator('#bpmn-canvas[data-drawn="true"]').waitFor();
    const steps = loadPolicy('pan-bedfordshire').steps;
    await expect(page.locator('#bpmn-canvas .djs-element[data-element-id^="Task_"]').count()).resolves.toBe(
      steps.length,
    );
    await expect(page.locator('[data-table="procedure"] [data-step]').count()).resolves.toBe(steps.length);
    await page.locator('#bpmn-canvas').screenshot({ path: join(screenshots, 'procedure.png') });
    await expectAccessible(page, 'procedure');
    const download = await page.request.get(`${web.url}/procedure.bpmn`);
    expect(download.headers()['content-disposition']).toBe('attachment; filename="pan-bedfordshire.bpmn"');
    expect(await download.text()).toContain('<bpmn:definitions');

    // A page the role may not use, typed in: refused, and the refusal page is accessible too.
    const refused = await page.goto(`${web.url}/my-work`);
    expect(refused?.status()).toBe(403);
    await expectAccessible(page, 'forbidden');
  }, 120_000);
});
