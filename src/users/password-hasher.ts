import { Injectable } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { AppConfig } from '../config/app-config';

@Injectable()
export class PasswordHasher {
  // Compared against when the email is unknown, so that a wrong email costs as long as a wrong password.
  private readonly decoyHash: string;

  constructor(private readonly config: AppConfig) {
    this.decoyHash = bcrypt.hashSync('decoy-password-never-matches', config.bcryptRounds);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.config.bcryptRounds);
  }

  verify(password: string, hash: string | undefined): Promise<boolean> {
    return bcrypt.compare(password, hash ?? this.decoyHash);
  }
}
