// The files attached to each room's composer before they are sent: every file is uploaded at once
// (progress, cancel, retry, clear errors); `send` then carries the ids of the uploaded ones. Lives
// in the session, so an upload keeps going when another room is opened.

import { UploadAbortedError, type Upload } from '../../lib/http';
import type { FileInfo } from '../../lib/protocol';
import type { SliceStore } from '../../lib/store';
import type { UploadFile } from './filesApi';
import { tooLargeText, uploadFailure } from './uploadErrors';

/** At most this many files in one message. */
export const MAX_ATTACHMENTS = 10;

export type AttachmentStatus = 'uploading' | 'done' | 'error';

export interface Attachment {
  /** Local id (React key). */
  key: string;
  name: string;
  size: number;
  type: string;
  status: AttachmentStatus;
  /** Bytes sent so far. */
  sent: number;
  /** The server's file, once uploaded. */
  file: FileInfo | null;
  error: string | null;
  /** Retry may help (connection lost, server trouble). */
  retryable: boolean;
}

export interface UploadsState {
  /** room id -> its composer's attachments, in the order added. */
  attachments: Record<string, Attachment[]>;
}

export const initialUploadsState: UploadsState = { attachments: {} };

export const noAttachments: readonly Attachment[] = [];

interface Job {
  room: string;
  file: File;
  upload: Upload<FileInfo> | null;
}

export class UploadsSlice {
  private readonly jobs = new Map<string, Job>();
  private seq = 0;
  /** The server's size limit, once a 413 told it: later files over it are refused here. */
  private sizeLimit: number | undefined;

  constructor(
    private readonly store: SliceStore<UploadsState>,
    private readonly uploadFile: UploadFile,
  ) {}

  private list(room: string): Attachment[] {
    return this.store.getState().attachments[room] ?? [];
  }

  private setList(room: string, list: Attachment[]): void {
    const attachments = { ...this.store.getState().attachments };
    if (list.length > 0) attachments[room] = list;
    else delete attachments[room];
    this.store.set({ attachments });
  }

  private patch(room: string, key: string, change: Partial<Attachment>): void {
    const list = this.list(room);
    if (!list.some((a) => a.key === key)) return;
    this.setList(
      room,
      list.map((a) => (a.key === key ? { ...a, ...change } : a)),
    );
  }

  /** Adds files to the room's composer and starts uploading them. */
  add(room: string, files: readonly File[]): void {
    const list = [...this.list(room)];
    const starts: Attachment[] = [];
    for (const file of files) {
      this.seq += 1;
      const base: Attachment = {
        key: `att-${this.seq}`,
        name: file.name || 'pasted file',
        size: file.size,
        type: file.type,
        status: 'uploading',
        sent: 0,
        file: null,
        error: null,
        retryable: false,
      };
      const refused =
        list.length >= MAX_ATTACHMENTS
          ? `At most ${MAX_ATTACHMENTS} files in one message.`
          : file.size === 0
            ? 'The file is empty.'
            : this.sizeLimit !== undefined && file.size > this.sizeLimit
              ? tooLargeText(this.sizeLimit)
              : null;
      if (refused) {
        list.push({ ...base, status: 'error', error: refused });
        continue;
      }
      this.jobs.set(base.key, { room, file, upload: null });
      list.push(base);
      starts.push(base);
    }
    this.setList(room, list);
    for (const a of starts) this.start(room, a.key);
  }

  private start(room: string, key: string): void {
    const job = this.jobs.get(key);
    if (!job) return;
    const upload = this.uploadFile(room, job.file, (loaded) => {
      if (this.jobs.get(key)?.upload === upload) this.patch(room, key, { sent: loaded });
    });
    job.upload = upload;
    upload.promise.then(
      (file) => {
        if (this.jobs.get(key)?.upload !== upload) return;
        this.jobs.delete(key);
        this.patch(room, key, { status: 'done', sent: job.file.size, file, error: null });
      },
      (e: unknown) => {
        if (e instanceof UploadAbortedError || this.jobs.get(key)?.upload !== upload) return;
        job.upload = null;
        const failure = uploadFailure(e);
        if (failure.limit) this.sizeLimit = failure.limit;
        if (!failure.retryable) this.jobs.delete(key);
        this.patch(room, key, { status: 'error', error: failure.text, retryable: failure.retryable });
      },
    );
  }

  /** Cancels an upload in flight, or removes an attachment (uploaded or failed). */
  remove(room: string, key: string): void {
    const job = this.jobs.get(key);
    this.jobs.delete(key);
    job?.upload?.abort();
    this.setList(
      room,
      this.list(room).filter((a) => a.key !== key),
    );
  }

  /** Uploads a failed attachment again (when the failure may pass). */
  retry(room: string, key: string): void {
    const a = this.list(room).find((x) => x.key === key);
    if (!a || a.status !== 'error' || !a.retryable || !this.jobs.has(key)) return;
    this.patch(room, key, { status: 'uploading', sent: 0, error: null, retryable: false });
    this.start(room, key);
  }

  /** The room's uploaded files, ready to send. */
  ready(room: string): Attachment[] {
    return this.list(room).filter((a) => a.status === 'done' && a.file);
  }

  /** Whether any of the room's files is still uploading. */
  busy(room: string): boolean {
    return this.list(room).some((a) => a.status === 'uploading');
  }

  /** The files went out with a message: they leave the composer. */
  sent(room: string, keys: readonly string[]): void {
    const gone = new Set(keys);
    this.setList(
      room,
      this.list(room).filter((a) => !gone.has(a.key)),
    );
  }

  /** I left the room: its uploads stop. */
  forget(room: string): void {
    for (const [key, job] of [...this.jobs]) {
      if (job.room !== room) continue;
      this.jobs.delete(key);
      job.upload?.abort();
    }
    this.setList(room, []);
  }

  /** The session ends: every upload stops. */
  stop(): void {
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    for (const job of jobs) job.upload?.abort();
  }
}
