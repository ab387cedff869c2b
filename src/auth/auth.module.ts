import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { RefreshToken } from './refresh-token.entity';
import { RolesGuard } from './roles.guard';
import { SignInFailure } from './sign-in-failure.entity';
import { SignInFailuresRepository } from './sign-in-failures.repository';
import { SignInThrottle } from './sign-in-throttle';

@Module({
  imports: [
    UsersModule,
    PassportModule,
    TypeOrmModule.forFeature([RefreshToken, SignInFailure]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A KeyObject (typed as the Buffer @nestjs/jwt declares): jsonwebtoken signs with it as it is.
        secret: config.jwt.key as unknown as Buffer,
        signOptions: { algorithm: config.jwt.algorithm, expiresIn: config.jwt.accessTokenTtlSeconds },
        verifyOptions: { algorithms: [config.jwt.algorithm] },
      }),
    }),
    // Only the sign-in routes use it (per client IP): brute force and mass registration are the threats.
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => [{ name: 'default', limit: config.authThrottle.limit, ttl: config.authThrottle.ttlSeconds * 1000 }],
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    AuthRepository,
    SignInThrottle,
    SignInFailuresRepository,
    JwtStrategy,
    // Order matters: authenticate first, then check the role.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [AuthService],
})
export class AuthModule {}
