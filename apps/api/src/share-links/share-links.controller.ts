import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Caller, LearnerAllowed, ShareAllowed } from '../auth/access.decorators';
import type { CallerIdentity } from '../auth/request-of';
import { CreatedShareLinkView, CreateShareLinkBody, SharedRevisionView } from './share-link.dto';
import { ShareLinksService } from './share-links.service';

@ApiTags('share-links')
@ApiBearerAuth('api-key')
@Controller()
export class ShareLinksController {
  constructor(private readonly shareLinks: ShareLinksService) {}

  /** A tenant key, or a learner for its own sandboxes. */
  @LearnerAllowed()
  @Post('sandboxes/:id/revisions/:version/share-links')
  @ApiOperation({ summary: 'Create a read-only share link to one revision' })
  @ApiCreatedResponse({ type: CreatedShareLinkView })
  createShareLink(
    @Caller() caller: CallerIdentity,
    @Param('id') sandboxId: string,
    @Param('version', ParseIntPipe) version: number,
    @Body() body: CreateShareLinkBody,
  ): Promise<CreatedShareLinkView> {
    return this.shareLinks.create(caller, sandboxId, version, body.ttl);
  }

  @LearnerAllowed()
  @Delete('share-links/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a share link' })
  @ApiNoContentResponse({ description: 'Revoked' })
  revokeShareLink(@Caller() caller: CallerIdentity, @Param('id') id: string): Promise<void> {
    return this.shareLinks.revoke(caller, id);
  }

  /** With a share link's token (`Authorization: Bearer nsh_…`): the one revision it reads. */
  @ShareAllowed()
  @Get('shared-revision')
  @ApiOperation({ summary: "Read the revision a share link's token opens" })
  @ApiOkResponse({ type: SharedRevisionView })
  getSharedRevision(@Caller() caller: CallerIdentity): Promise<SharedRevisionView> {
    return this.shareLinks.sharedRevision(caller.share, caller.tenantId);
  }
}
