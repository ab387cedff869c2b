import { BadRequestException, HttpException, UnprocessableEntityException, UnsupportedMediaTypeException } from '@nestjs/common';
import { DocumentError } from './parsers/document-error';

/** What an upload that cannot be read answers: 415 for a type we do not take, 422 for a file we cannot open. */
export function toDocumentHttpError(error: unknown): Error {
  if (!(error instanceof DocumentError)) return error instanceof Error ? error : new Error(String(error));
  switch (error.code) {
    case 'unsupported_type':
      return new UnsupportedMediaTypeException(error.message);
    case 'corrupt':
    case 'encrypted':
    case 'too_large_uncompressed':
    case 'too_complex':
    case 'empty':
      return new UnprocessableEntityException(error.message);
    default:
      return new BadRequestException(error.message) satisfies HttpException;
  }
}
