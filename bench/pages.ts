// Page weight: what a browser downloads to show each page the first time (its HTML, its script and
// the shared stylesheet), raw and as gzip (CloudFront compresses them), built exactly as the site
// deploys them (scripts/build-web.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PAGES, buildWebInto } from '../scripts/build-web.js';

export interface PageFigure {
  page: string;
  files: string[];
  bytes: number;
  gzipBytes: number;
}

export function measurePages(): PageFigure[] {
  const out = mkdtempSync(path.join(tmpdir(), 'cvd-pages-'));
  try {
    buildWebInto(out);
    return PAGES.map((page) => {
      const files = [`${page}.html`, `assets/${page}.js`, 'assets/style.css'];
      const contents = files.map((f) => readFileSync(path.join(out, f)));
      return {
        page,
        files,
        bytes: contents.reduce((n, c) => n + c.length, 0),
        gzipBytes: contents.reduce((n, c) => n + gzipSync(c, { level: 9 }).length, 0),
      };
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
