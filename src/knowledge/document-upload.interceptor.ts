// The upload route's multipart form, parsed by multer within the limits below, and multer's refusals told in
// words a client can act on: which limit, which field. Nest hands them on as bare messages ("Too many fields",
// "Field value too long - note"), their codes dropped, so they are recognised by those messages.
import { BadRequestException, CallHandler, ExecutionContext, HttpException, Inject, Injectable, Optional, PayloadTooLargeException } from '@nestjs/common';
import { FileInterceptor, MulterModuleOptions } from '@nestjs/platform-express';
import { MULTER_MODULE_OPTIONS } from '@nestjs/platform-express/multer/files.constants';
import { Observable } from 'rxjs';
import { AppConfig } from '../config/app-config';

/**
 * The form carries one file. A few short text fields without brackets get through, so that validation can name
 * a stray one (the body takes none); every limit stops multer before it holds or builds more.
 */
export const UPLOAD_FORM_LIMITS = { files: 1, fields: 5, parts: 6, fieldNameSize: 100, fieldSize: 1024, fieldNestingDepth: 0, headerPairs: 20 };

const ONLY_THE_DOCUMENT = 'the upload takes only the document, in the field "file"';

export function uploadFormOptions(config: AppConfig): MulterModuleOptions {
  return { limits: { ...UPLOAD_FORM_LIMITS, fileSize: config.uploads.maxBytes } };
}

@Injectable()
export class DocumentUploadInterceptor extends FileInterceptor('file') {
  constructor(
    @Optional() @Inject(MULTER_MODULE_OPTIONS) options: MulterModuleOptions | undefined,
    private readonly config: AppConfig,
  ) {
    super(options);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await super.intercept(context, next);
    } catch (error) {
      throw explainUploadRefusal(error, `The document is larger than ${this.config.uploads.maxBytes / (1024 * 1024)} MB (MAX_UPLOAD_MB)`);
    }
  }
}

/** Multer's refusal of a one-file form in words a client can act on; `tooLarge` says which size limit the file broke. */
export function explainUploadRefusal(error: unknown, tooLarge: string): unknown {
  if (!(error instanceof HttpException) || typeof error.getResponse() !== 'object') return error;
  const message = String((error.getResponse() as { message?: unknown }).message ?? '');
  const [reason, field] = [message.split(' - ')[0], message.split(' - ').slice(1).join(' - ')];
  switch (reason) {
    case 'File too large':
      return new PayloadTooLargeException(tooLarge);
    case 'Field value too long':
      return new PayloadTooLargeException(`The form field "${field}" is longer than ${UPLOAD_FORM_LIMITS.fieldSize / 1024} KB; ${ONLY_THE_DOCUMENT}`);
    case 'Field name too long':
      return new BadRequestException(`A form field name is longer than ${UPLOAD_FORM_LIMITS.fieldNameSize} bytes`);
    case 'Too many fields':
      return new BadRequestException(`The form has more than ${UPLOAD_FORM_LIMITS.fields} text fields; ${ONLY_THE_DOCUMENT}`);
    case 'Too many parts':
      return new BadRequestException(`The form has more than ${UPLOAD_FORM_LIMITS.parts} parts; ${ONLY_THE_DOCUMENT}`);
    case 'Too many files':
      return new BadRequestException('Send one document per upload, in the field "file"');
    case 'Unexpected file field':
      return new BadRequestException(field === 'file' ? 'Send one document per upload, in the field "file"' : `Send the document in the field "file", not "${field}"`);
    case 'Field name nesting too deep':
    case 'Field name array index too large':
    case 'Invalid field name':
      return new BadRequestException(`The form field "${field}" has brackets; the upload takes no nested fields`);
    default:
      return error;
  }
}
