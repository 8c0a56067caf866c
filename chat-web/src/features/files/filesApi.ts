import { enc, upload, type Upload } from '../../lib/http';
import type { FileInfo } from '../../lib/protocol';

/** Reports the bytes sent so far of an upload. */
export type OnProgress = (loaded: number, total: number) => void;

/** How the session uploads a file into a room (tests hand in their own). */
export type UploadFile = (room: string, file: File, onProgress: OnProgress) => Upload<FileInfo>;

/** POST /api/rooms/{id}/files (multipart, field `file`) -> 201 `file`. */
export const uploadFile: UploadFile = (room, file, onProgress) => {
  const form = new FormData();
  form.append('file', file, file.name);
  return upload<FileInfo>(`/api/rooms/${enc(room)}/files`, form, onProgress);
};

/** The bytes: inline for raster images, a download for the rest (the server decides). */
export const fileUrl = (id: string) => `/api/files/${enc(id)}`;

/** A small preview of an image (404 when the server made none). */
export const thumbnailUrl = (id: string) => `/api/files/${enc(id)}/thumbnail`;
