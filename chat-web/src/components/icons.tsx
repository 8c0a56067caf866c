// Small line icons as inline SVG (no icon font, no emoji font needed). Decorative: the control
// that holds one carries the accessible name.

const common = {
  width: 18,
  height: 18,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
  'aria-hidden': true,
  focusable: false,
} as const;

export function PaperclipIcon() {
  return (
    <svg {...common}>
      <path d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9" />
    </svg>
  );
}

export function BellIcon() {
  return (
    <svg {...common}>
      <path d="M6 9a6 6 0 0 1 12 0c0 6 2.5 7.5 2.5 7.5h-17S6 15 6 9" />
      <path d="M10.3 20a1.9 1.9 0 0 0 3.4 0" />
    </svg>
  );
}

export function BellOffIcon({ size = 18 }: { size?: number } = {}) {
  return (
    <svg {...common} width={size} height={size}>
      <path d="M8.7 3.9A6 6 0 0 1 18 9c0 3 .6 4.9 1.3 6M17 16.5H3.5S6 15 6 9c0-.6.1-1.2.3-1.8" />
      <path d="M10.3 20a1.9 1.9 0 0 0 3.4 0" />
      <path d="M3 3l18 18" />
    </svg>
  );
}

export function AtIcon() {
  return (
    <svg {...common}>
      <circle cx="12" cy="12" r="4" />
      <path d="M16 8v5a3 3 0 0 0 6 0v-1a10 10 0 1 0-3.9 7.9" />
    </svg>
  );
}

export function FileIcon({ size = 18 }: { size?: number } = {}) {
  return (
    <svg {...common} width={size} height={size}>
      <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
      <path d="M14 3v5h5" />
    </svg>
  );
}

export function ImageIcon({ size = 18 }: { size?: number } = {}) {
  return (
    <svg {...common} width={size} height={size}>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <circle cx="9" cy="10" r="1.8" />
      <path d="M21 16l-5-5-9 9" />
    </svg>
  );
}

export function DownloadIcon({ size = 16 }: { size?: number } = {}) {
  return (
    <svg {...common} width={size} height={size}>
      <path d="M12 4v11M7 10l5 5 5-5M5 20h14" />
    </svg>
  );
}
