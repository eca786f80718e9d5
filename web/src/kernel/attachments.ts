// Attachments (photos, documents) uploaded before the record that cites them by id.
import { api, type Schemas } from './http';

export type Attachment = Schemas['Attachment'];

/** Which version of a photo: the thumbnail (≤320 px), the display version (≤1600 px) or the file as uploaded. */
export type AttachmentSize = 'thumb' | 'display' | 'original';

/** Uploads `file` as the raw body; the server checks its type and size by content. */
export function uploadAttachment(file: File): Promise<Attachment> {
  return api.upload<Attachment>(`/api/v1/attachments?filename=${encodeURIComponent(file.name)}`, file);
}

/** The address of one version of an attachment (the session cookie authorises it). */
export function attachmentUrl(id: string, size: AttachmentSize = 'original'): string {
  const base = `/api/v1/attachments/${encodeURIComponent(id)}`;
  return size === 'original' ? base : `${base}?size=${size}`;
}

/** Whether the attachment is a photo (it has a thumbnail and a display version). */
export function isPicture(mime: string): boolean {
  return mime === 'image/jpeg' || mime === 'image/png' || mime === 'image/webp';
}

/** A record's attachments grouped by the step that added them (上报, 整改完成, 验收 …), in the steps' order. */
export interface AttachmentGroup { key: string; label: string; at_ms: number | null; items: Attachment[] }

/** Groups `attachments` by the `steps` (events with the ids they brought); ids no step names come last. */
export function attachmentGroups(
  attachments: ReadonlyArray<Attachment>,
  steps: ReadonlyArray<{ label: string; at_ms: number; attachments: ReadonlyArray<string> }>,
): AttachmentGroup[] {
  const byId = new Map(attachments.map((a) => [a.id, a]));
  const used = new Set<string>();
  const groups: AttachmentGroup[] = [];
  steps.forEach((s, i) => {
    const items = s.attachments.map((id) => byId.get(id)).filter((a): a is Attachment => !!a && !used.has(a.id));
    items.forEach((a) => used.add(a.id));
    if (items.length) groups.push({ key: `s${i}`, label: s.label, at_ms: s.at_ms, items });
  });
  const rest = attachments.filter((a) => !used.has(a.id));
  if (rest.length) groups.push({ key: 'rest', label: '其他附件', at_ms: null, items: rest });
  return groups;
}
