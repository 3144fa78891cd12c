// Metadata removal for PDF (pdf-lib) and Office files (fflate). Both rewrite
// the container without touching the content: a PDF loses its information
// dictionary (title, author, creator, producer, dates) and its XMP metadata
// streams; a .docx/.xlsx/.pptx gets empty document properties (docProps/core,
// app and custom: author, last editor, company, template, dates) and zip
// entries with a fixed date. What is written inside the content itself
// (tracked changes, comments with names, a name typed on page one) stays:
// docs/THREAT-MODEL.md says so, and the page tells the reporter.
import { unzipSync, zipSync, strFromU8, strToU8, type Zippable } from 'fflate';
import { PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, PDFStream } from 'pdf-lib';
import type { Stripped } from './images.ts';

export const isPdf = (b: Uint8Array): boolean => b.length > 5 && String.fromCharCode(...b.subarray(0, 5)) === '%PDF-';
export const isZip = (b: Uint8Array): boolean => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

const INFO_WORDS: Record<string, string> = {
  Author: 'Author name', Creator: 'Program that made it', Producer: 'Program that made it', Title: 'Title',
  Subject: 'Subject', Keywords: 'Keywords', CreationDate: 'Dates made and changed', ModDate: 'Dates made and changed',
};

export async function stripPdf(bytes: Uint8Array): Promise<Stripped> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: false });
  const removed: string[] = [];
  const ctx = doc.context;
  const infoRef = ctx.trailerInfo.Info;
  if (infoRef) {
    const info = ctx.lookup(infoRef);
    if (info instanceof PDFDict) {
      for (const key of info.keys()) {
        const word = INFO_WORDS[key.decodeText()] ?? 'Other document details';
        if (!removed.includes(word)) removed.push(word);
      }
    }
    if (infoRef instanceof PDFRef) ctx.delete(infoRef);
    ctx.trailerInfo.Info = undefined;
  }
  // XMP may hang off the catalogue, a page, an image or a font: any stream of /Type /Metadata goes.
  let xmp = false;
  for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
    const dict = obj instanceof PDFStream || obj instanceof PDFRawStream ? obj.dict : obj instanceof PDFDict ? obj : null;
    if (!dict) continue;
    if (dict.get(PDFName.of('Metadata'))) { dict.delete(PDFName.of('Metadata')); }
    if (dict.get(PDFName.of('Type')) === PDFName.of('Metadata')) { ctx.delete(ref); xmp = true; }
  }
  if (doc.catalog.get(PDFName.of('Metadata'))) doc.catalog.delete(PDFName.of('Metadata'));
  if (xmp) removed.push('XMP (author, editing history)');
  const out = await doc.save({ useObjectStreams: false, updateFieldAppearances: false });
  return { bytes: out, removed };
}

const EMPTY_CORE = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
  + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
  + 'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
  + 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>';
const EMPTY_APP = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
  + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>';
const EMPTY_CUSTOM = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
  + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>';
/** 1980-01-01, the earliest date a zip entry can carry: says nothing about when the file was cleaned. */
const FIXED_DATE = new Date(1980, 0, 1, 0, 0, 0);

export const isOfficeZip = (entries: Record<string, Uint8Array>): boolean => '[Content_Types].xml' in entries;

export function stripOffice(bytes: Uint8Array): Stripped {
  const entries = unzipSync(bytes);
  if (!isOfficeZip(entries)) throw new TypeError('not an Office document');
  const removed: string[] = [];
  const replace: Record<string, string> = { 'docProps/core.xml': EMPTY_CORE, 'docProps/app.xml': EMPTY_APP, 'docProps/custom.xml': EMPTY_CUSTOM };
  const out: Zippable = {};
  for (const [name, data] of Object.entries(entries)) {
    const empty = replace[name];
    if (empty !== undefined) {
      const text = strFromU8(data);
      // Only say "removed" when there was something in it.
      if (/<(dc:creator|cp:lastModifiedBy|dc:title|cp:keywords|dcterms:created)[ >]/.test(text)) addOnce(removed, 'Author and last editor names, dates');
      if (/<(Company|Manager|Template)>/.test(text)) addOnce(removed, 'Company, manager and template names');
      if (name === 'docProps/custom.xml' && /<property /.test(text)) addOnce(removed, 'Custom document properties');
      out[name] = [strToU8(empty), { mtime: FIXED_DATE }];
    } else if (name.startsWith('docProps/thumbnail')) {
      // A picture of the first page, made when it was last saved (it may show an earlier version): replaced by nothing useful.
      addOnce(removed, 'Preview picture');
      out[name] = [new Uint8Array(0), { mtime: FIXED_DATE }];
    } else {
      out[name] = [data, { mtime: FIXED_DATE }];
    }
  }
  return { bytes: zipSync(out, { level: 6 }), removed };
}

function addOnce(list: string[], what: string): void {
  if (!list.includes(what)) list.push(what);
}
