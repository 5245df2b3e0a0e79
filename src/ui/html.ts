// Lit's `html`, as the element hands it to src/ui/ (imported here, it would make esbuild split Lit into a chunk the
// entry shares, about 230 bytes gzipped more for the entry): its type only.
import type { html as Html } from 'lit';

export type HtmlTag = typeof Html;
