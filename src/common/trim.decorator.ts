import { Transform } from 'class-transformer';

/** Trims a string field before it is validated (so "  " fails a length check); leaves other values alone. */
export const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
