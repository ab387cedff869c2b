import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOAuth2, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator';
import { ThrottlerGuard } from '@nestjs/throttler';
import { UserDto } from '../users/dto/user.dto';
import { AuthService } from './auth.service';
import { AuthUser, CurrentUser } from './auth-user';
import { LoginDto } from './dto/login.dto';
import { RefreshDto } from './dto/refresh.dto';
import { RegisterDto } from './dto/register.dto';
import { TokenDto } from './dto/token.dto';
import { Public } from './public.decorator';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly authService: AuthService) {}

  /** Register a new user (role `user`). */
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiErrors(400, 409, 429)
  @Post('register')
  register(@Body() dto: RegisterDto): Promise<UserDto> {
    return this.authService.register(dto);
  }

  /** Sign in with email and password; returns a bearer access token and a refresh token. */
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiErrors(400, 401, 429)
  @HttpCode(HttpStatus.OK)
  @Post('login')
  login(@Body() dto: LoginDto): Promise<TokenDto> {
    return this.authService.login(dto);
  }

  /** Exchange a refresh token for a new token pair; each refresh token works once. */
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiErrors(400, 401, 429)
  @HttpCode(HttpStatus.OK)
  @Post('refresh')
  refresh(@Body() dto: RefreshDto): Promise<TokenDto> {
    return this.authService.refresh(dto.refresh_token);
  }

  /** End this sign-in session: its access and refresh tokens stop working at once. */
  @ApiBearerAuth()
  @ApiOAuth2([])
  @ApiErrors(401)
  @HttpCode(HttpStatus.NO_CONTENT)
  @Post('logout')
  logout(@CurrentUser() user: AuthUser): Promise<void> {
    return this.authService.logout(user);
  }
}
