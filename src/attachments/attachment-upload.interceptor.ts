// The attachment form: one file in the field "file", held in memory up to ATTACHMENT_MAX_MB (larger → 413),
// with the knowledge upload's limits on the rest of the form and its refusals in words a client can act on.
import { CallHandler, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { MULTER_MODULE_OPTIONS } from '@nestjs/platform-express/multer/files.constants';
import { Observable } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { explainUploadRefusal, UPLOAD_FORM_LIMITS } from '../knowledge/document-upload.interceptor';

@Injectable()
export class AttachmentUploadInterceptor extends FileInterceptor('file') {
  // The mixin's first parameter is the module's multer options: declared again so that the config comes second,
  // and ignored, since an attachment's limits are its own.
  constructor(
    @Optional() @Inject(MULTER_MODULE_OPTIONS) _moduleOptions: unknown,
    private readonly config: AppConfig,
  ) {
    super({ limits: { ...UPLOAD_FORM_LIMITS, fileSize: config.attachments.maxBytes } });
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await super.intercept(context, next);
    } catch (error) {
      throw explainUploadRefusal(error, `The file is larger than ${this.config.attachments.maxBytes / (1024 * 1024)} MB (ATTACHMENT_MAX_MB)`);
    }
  }
}
