import { BadRequestException, Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOAuth2, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { CursorPageQueryDto } from '../common/pagination.dto';
import { LimitPerUser } from '../limits/user-limit.guard';
import { Role } from '../users/role.enum';
import { DocumentUploadInterceptor } from '../knowledge/document-upload.interceptor';
import { DocumentDetailDto, DocumentListDto, IngestDocumentFieldsDto, IngestedDocumentDto } from '../knowledge/dto/document.dto';
import { ResolutionDto } from './dto/resolution.dto';
import { SearchQueryDto, SearchResultDto } from '../knowledge/dto/search.dto';
import { DocumentIngestion } from '../knowledge/document-ingestion.service';
import { DocumentsService } from '../knowledge/documents.service';
import { KnowledgeSearch } from '../knowledge/knowledge-search.service';
import { LlmService } from './llm.service';

@ApiTags('llm')
@ApiBearerAuth()
@ApiOAuth2([])
@ApiErrors(401)
@Roles(Role.Support, Role.Admin)
@Controller('llm')
export class LlmController {
  constructor(
    private readonly documentIngestion: DocumentIngestion,
    private readonly documentsService: DocumentsService,
    private readonly knowledgeSearch: KnowledgeSearch,
    private readonly llmService: LlmService,
  ) {}

  /** Ingest a PDF, DOCX, Markdown or text document into the knowledge base (multipart field `file`). */
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiErrors(400, 403, 409, 413, 415, 422, 503)
  @LimitPerUser('uploads')
  @UseInterceptors(DocumentUploadInterceptor)
  @Post('ingest_doc')
  ingest(@CurrentUser() user: AuthUser, @Body() _fields: IngestDocumentFieldsDto, @UploadedFile() file?: Express.Multer.File): Promise<IngestedDocumentDto> {
    if (!file) throw new BadRequestException('Send the document as multipart/form-data in the field "file"');
    return this.documentIngestion.ingest(file, user);
  }

  /** The knowledge base's documents, newest first. */
  @ApiErrors(400, 403)
  @Get('documents')
  listDocuments(@Query() page: CursorPageQueryDto): Promise<DocumentListDto> {
    return this.documentsService.listDocuments(page);
  }

  /**
   * One document with its chunks, for anyone signed in: a ticket's resolution cites knowledge-base documents,
   * and its requester should be able to open them. Listing, searching and changing the knowledge base stay with support and admin.
   */
  // The handler's roles replace the class's: RolesGuard reads the handler first (getAllAndOverride).
  @Roles(Role.User, Role.Support, Role.Admin)
  @ApiErrors(400, 404)
  @Get('documents/:document_id')
  getDocument(@Param('document_id', ParseUUIDPipe) documentId: string): Promise<DocumentDetailDto> {
    return this.documentsService.getDocument(documentId);
  }

  /** Remove a document and its chunks from the knowledge base. */
  @ApiErrors(400, 403, 404)
  @HttpCode(HttpStatus.NO_CONTENT)
  @Delete('documents/:document_id')
  deleteDocument(@Param('document_id', ParseUUIDPipe) documentId: string): Promise<void> {
    return this.documentsService.deleteDocument(documentId);
  }

  /** Hybrid search (vectors + full text, fused by reciprocal rank): the best passage of each matching document, and similar tickets. */
  @ApiErrors(400, 403, 503)
  @Get('search')
  search(@CurrentUser() user: AuthUser, @Query() query: SearchQueryDto): Promise<SearchResultDto> {
    return this.knowledgeSearch.search(user, query.q, query.k, query.mode);
  }

  /** Suggest a resolution for a ticket from the knowledge base and similar resolved tickets; stored on the ticket. */
  @ApiErrors(400, 403, 404, 502, 503)
  @Post('resolve_ticket/:ticket_id')
  resolveTicket(@CurrentUser() user: AuthUser, @Param('ticket_id', ParseUUIDPipe) ticketId: string): Promise<ResolutionDto> {
    return this.llmService.resolveTicket(user, ticketId);
  }
}
