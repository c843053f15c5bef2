import { Feed } from 'feed';
import type { DatasetView } from '../../catalog/dataset-view.js';
import type { EventRow } from './follow.repository.js';
import { eventNotice } from './event-notice.js';

export type FeedLang = 'vi' | 'en';

interface FeedHead {
  title: string;
  /** the feed's own path and the page it follows, on the portal */
  self: string;
  page: string;
}

/** An Atom feed (RFC 4287) of catalog events: a data set's or an agency's. */
export function eventsFeed(baseUrl: string, lang: FeedLang, head: FeedHead, events: EventRow[]): string {
  const feed = start(baseUrl, lang, head, events[0]?.occurred_at);
  for (const e of events) {
    const n = eventNotice(e);
    feed.addItem({
      title: n.subject[lang],
      id: `urn:uuid:${e.id}`,
      link: `${baseUrl}${n.link}`,
      date: e.occurred_at,
      published: e.occurred_at,
      description: n.text[lang],
    });
  }
  return feed.atom1();
}

/** An Atom feed of the newest data sets a search finds. */
export function searchFeed(baseUrl: string, lang: FeedLang, head: FeedHead, views: DatasetView[]): string {
  const date = (v: DatasetView) => v.dataset.issued ?? v.dataset.modified;
  const feed = start(baseUrl, lang, head, views[0] ? date(views[0]) : undefined);
  for (const v of views) {
    const d = v.dataset;
    feed.addItem({
      title: (lang === 'en' ? d.title_en : null) ?? d.title_vi,
      id: `urn:uuid:${d.id}`,
      link: `${baseUrl}/dataset/${d.slug}`,
      date: d.modified,
      published: date(v),
      description: ((lang === 'en' ? d.description_en : null) ?? d.description_vi).slice(0, 1000),
      author: [{ name: (lang === 'en' ? v.agency.name_en : null) ?? v.agency.name_vi }],
    });
  }
  return feed.atom1();
}

function start(baseUrl: string, lang: FeedLang, head: FeedHead, updated: Date | undefined): Feed {
  return new Feed({
    id: `${baseUrl}${head.self}`,
    title: head.title,
    link: `${baseUrl}${head.page}`,
    language: lang,
    updated: updated ?? new Date(0),
    generator: 'ndp',
    feedLinks: { atom: `${baseUrl}${head.self}` },
    copyright: lang === 'en' ? 'Open data of the national data platform' : 'Dữ liệu mở của nền tảng dữ liệu quốc gia',
  });
}
