import { BadRequestException, Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOAuth2, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { ApiErrors } from '../common/api-errors.decorator';
import { attachmentDisposition } from './attachment-content';
import { AttachmentUploadInterceptor } from './attachment-upload.interceptor';
import { AttachmentsService } from './attachments.service';
import { AttachFileFieldsDto, AttachmentDto, AttachmentListDto } from './dto/attachment.dto';

/** A download runs nothing and embeds nothing, even if a browser is made to open it. */
const DOWNLOAD_POLICY = "default-src 'none'; sandbox";

@ApiTags('attachments')
@ApiBearerAuth()
@ApiOAuth2([])
@ApiErrors(401)
@Controller('tickets/:ticket_id/attachments')
export class AttachmentsController {
  constructor(private readonly attachmentsService: AttachmentsService) {}

  /**
   * Attach a file to the ticket (its requester, or support and admin; multipart field `file`): PNG, JPEG,
   * GIF or WebP images, PDF documents, plain text or logs, recognised by content, at most ATTACHMENT_MAX_MB.
   */
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiErrors(400, 404, 409, 413, 415, 422, 503)
  @UseInterceptors(AttachmentUploadInterceptor)
  @Post()
  attach(
    @CurrentUser() user: AuthUser,
    @Param('ticket_id', ParseUUIDPipe) ticketId: string,
    @Body() _fields: AttachFileFieldsDto,
    @UploadedFile() file?: Express.Multer.File,
  ): Promise<AttachmentDto> {
    if (!file) throw new BadRequestException('Send the file as multipart/form-data in the field "file"');
    return this.attachmentsService.attach(user, ticketId, file);
  }

  /** The ticket's files, oldest first (what they are, not their bytes). */
  @ApiErrors(400, 404)
  @Get()
  list(@CurrentUser() user: AuthUser, @Param('ticket_id', ParseUUIDPipe) ticketId: string): Promise<AttachmentListDto> {
    return this.attachmentsService.list(user, ticketId);
  }

  /** One file's bytes, offered as a download under its safe name. */
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file, with the content type it was stored with', schema: { type: 'string', format: 'binary' } })
  @ApiErrors(400, 404)
  @Get(':attachment_id')
  async download(
    @CurrentUser() user: AuthUser,
    @Param('ticket_id', ParseUUIDPipe) ticketId: string,
    @Param('attachment_id', ParseUUIDPipe) attachmentId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const file = await this.attachmentsService.download(user, ticketId, attachmentId);
    response.setHeader('Content-Security-Policy', DOWNLOAD_POLICY);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(file.content, { type: file.contentType, disposition: attachmentDisposition(file.filename), length: file.content.length });
  }

  /** Remove a file (whoever attached it, or support and admin). */
  @ApiErrors(400, 403, 404)
  @HttpCode(HttpStatus.NO_CONTENT)
  @Delete(':attachment_id')
  remove(@CurrentUser() user: AuthUser, @Param('ticket_id', ParseUUIDPipe) ticketId: string, @Param('attachment_id', ParseUUIDPipe) attachmentId: string): Promise<void> {
    return this.attachmentsService.remove(user, ticketId, attachmentId);
  }
}
