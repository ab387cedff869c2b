import { IsString, MaxLength } from 'class-validator';
import { textMessage } from '../../common/human-messages';

const REFRESH_TOKEN = textMessage({ missing: 'Send the refresh_token from your last sign-in', tooLong: 'That refresh_token is not one of ours (too long)', notText: 'The refresh_token must be text' });

export class RefreshDto {
  @IsString(REFRESH_TOKEN) @MaxLength(200, REFRESH_TOKEN)
  refresh_token: string;
}
