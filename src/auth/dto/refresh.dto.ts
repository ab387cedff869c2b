import { IsString, MaxLength } from 'class-validator';

export class RefreshDto {
  @IsString() @MaxLength(200)
  refresh_token: string;
}
