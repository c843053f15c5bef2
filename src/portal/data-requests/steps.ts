import { DomainError } from '../../platform/errors.js';
import type { DayRules } from '../../masterdata/calendar/working-days.js';
import type { AgencyRow } from '../../masterdata/masterdata.service.js';
import type { DatasetRow } from '../../catalog/datasets.repository.js';
import { answerDue } from './clocks.js';
import type { AssignmentRow, DataRequestRow } from './data-requests.repository.js';
import type { DataRequestStep } from './data-requests.schema.js';

/** What a step changes: the request, the answering agency's clock closed, a new agency's clock started. */
export interface Change {
  set: Partial<DataRequestRow>;
  close?: Pick<AssignmentRow, 'answered_at' | 'outcome' | 'answer'>;
  assign?: Pick<AssignmentRow, 'agency_id' | 'received_at' | 'due_at'>;
}

/** A request still waiting for its answer (triage, open, in progress): only these take a "+1". */
export const stillOpen = (r: Pick<DataRequestRow, 'status'>) =>
  r.status === 'triage' || r.status === 'open' || r.status === 'in_progress';

const refused = (vi: string, en: string) => new DomainError('INVALID_STATE', { vi, en });

/**
 * The rules of the steps, a plain function: open → in progress → published | refused | not held; "not held" sends
 * the request on to another agency (its own 10 working days from today) or back to triage; one extension of 10
 * working days, with a reason; an answered request never changes.
 */
export function nextState(
  r: DataRequestRow,
  s: DataRequestStep,
  o: { now: Date; rules: DayRules; agency: AgencyRow | null; dataset: DatasetRow | null },
): Change {
  const { now, rules, agency } = o;
  const restart = (a: AgencyRow): Change['assign'] => ({
    agency_id: a.id,
    received_at: now,
    due_at: answerDue(now, false, rules),
  });
  const reopened = (a: AgencyRow) => {
    const assign = restart(a)!;
    return {
      set: {
        agency_id: a.id,
        status: 'open' as const,
        received_at: now,
        due_at: assign.due_at,
        extension_reason: null,
      },
      assign,
    };
  };
  if (r.status === 'published' || r.status === 'refused')
    throw refused(
      'Yêu cầu đã được trả lời; không thể thay đổi nữa.',
      'The request has been answered; it cannot change.',
    );
  if (s.step === 'assign') {
    if (r.status !== 'triage')
      throw refused('Yêu cầu đã có cơ quan trả lời.', 'The request already has an agency answering it.');
    return reopened(agency!);
  }
  if (r.status === 'triage')
    throw refused('Yêu cầu đang chờ xác định cơ quan.', 'The request is waiting for its agency to be found.');
  const close = (outcome: AssignmentRow['outcome'], answer: string | null) => ({ answered_at: now, outcome, answer });
  switch (s.step) {
    case 'start':
      if (r.status !== 'open') throw refused('Yêu cầu đang được xử lý.', 'The request is already in progress.');
      return { set: { status: 'in_progress' } };
    case 'extend':
      if (r.extension_reason !== null)
        throw refused(
          'Thời hạn đã được gia hạn một lần; Luật Tiếp cận thông tin chỉ cho phép gia hạn một lần.',
          'The deadline was already extended; the Law on Access to Information allows one extension.',
        );
      return { set: { extension_reason: s.reason, due_at: answerDue(r.received_at!, true, rules) } };
    case 'publish':
      return {
        set: { status: 'published', answered_at: now, answer: s.answer?.trim() || null, dataset_id: o.dataset!.id },
        close: close('published', s.answer?.trim() || null),
      };
    case 'refuse':
      return {
        set: { status: 'refused', answered_at: now, answer: s.answer, legal_ground: s.legalGround },
        close: close('refused', `${s.answer} (${s.legalGround})`),
      };
    case 'not_held': {
      if (agency && agency.id === r.agency_id)
        throw refused(
          'Hãy chuyển yêu cầu tới một cơ quan khác.',
          'Send the request on to another agency than your own.',
        );
      const next = agency
        ? reopened(agency)
        : {
            set: {
              agency_id: null,
              status: 'triage' as const,
              received_at: null,
              due_at: null,
              extension_reason: null,
            },
          };
      return { ...next, close: close('not_held', s.answer) };
    }
  }
}
