// How any part of the session tells the user something (a toast; the app owns the list).

export type NoticeTone = 'info' | 'error';

export type PostNotice = (text: string, tone?: NoticeTone) => void;
