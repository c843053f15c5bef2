/**
 * One thing to tell someone: a public user (by id) or an agency's staff (by agency id). The follow part delivers it
 * (the person's notifications page, e-mail); the others only say what happened.
 */
export interface Notice {
  to: { publicUserId: string } | { agencyId: string };
  /** a stable kind, e.g. `reuse.submitted`, `data_request.answered` */
  kind: string;
  /** the subject and a short text in both languages */
  subject: { vi: string; en: string };
  text: { vi: string; en: string };
  /** a path on the portal the notice points to */
  link: string;
}

export interface Notifier {
  notify(notice: Notice): Promise<void>;
}
