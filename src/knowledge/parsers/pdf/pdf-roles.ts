// Which streams pdf.js may decode while it extracts text. It never decodes an image to extract text (an image
// XObject is skipped, however large), but a stream marked as an image and referenced as page contents, a font
// or a glyph is decoded all the same: the mark proves nothing, the places it is referenced from do.
import { PdfObjects } from './pdf-objects';
import { PdfDict, PdfName, PdfRef, PdfValue } from './pdf-syntax';

/** Keys whose value refers to an image: pdf.js draws it, or ignores it while extracting text. */
const IMAGE_KEYS = new Set(['SMask', 'Mask', 'Thumb', 'Image']);

/**
 * The object numbers referenced anywhere but as an image: as a value of /XObject resources (which pdf.js
 * decodes only when it is a form), /SMask, /Mask, /Thumb or /Image. Everything else — contents, fonts, glyph
 * procedures, arrays, the value of another object — may be read.
 */
export function objectsReadAsData(objects: PdfObjects): Set<number> {
  const xobjectDictionaries = new Set<number>();
  const read = new Set<number>();
  const roots: Array<[number | null, PdfValue]> = [
    ...[...objects.definitions].flatMap(([num, values]) => values.map((value): [number, PdfValue] => [num, value])),
    ...objects.streams.map((stream): [number | null, PdfValue] => [stream.id?.num ?? null, stream.dict]),
    ...objects.trailers.map((trailer): [null, PdfValue] => [null, trailer]),
  ];
  // Resource dictionaries may be objects of their own (`/XObject 12 0 R`): find those first.
  const referencedOtherwise = new Set<number>();
  for (const [, value] of roots) walk(value, null, null, (ref, key) => (key === 'XObject' ? xobjectDictionaries : referencedOtherwise).add(ref.num));
  // One referenced as anything else too (a page, say) is read as that: its entries are not resources then.
  for (const num of referencedOtherwise) xobjectDictionaries.delete(num);
  for (const [num, value] of roots) {
    // An object that is a resource dictionary reads as if it sat under /XObject where it is referenced.
    const rootKey = num !== null && xobjectDictionaries.has(num) ? 'XObject' : null;
    walk(value, rootKey, null, (ref, key, containerKey) => {
      if (!(key !== null && IMAGE_KEYS.has(key)) && containerKey !== 'XObject') read.add(ref.num);
    });
  }
  return read;
}

/** Whether a stream's dictionary says it is an image XObject. */
export function isMarkedImage(dict: PdfDict): boolean {
  const subtype = dict.get('Subtype');
  return subtype instanceof PdfName && subtype.name === 'Image';
}

type Visit = (ref: PdfRef, key: string | null, containerKey: string | null) => void;

/** Calls `visit` with each reference, the key it is the value of and the key its dictionary is the value of (null in an array). */
function walk(value: PdfValue, key: string | null, containerKey: string | null, visit: Visit): void {
  if (value instanceof PdfRef) visit(value, key, containerKey);
  else if (Array.isArray(value)) for (const item of value) walk(item, null, null, visit);
  else if (value instanceof PdfDict) for (const [entryKey, entry] of value.entries) walk(entry, entryKey, key, visit);
}
