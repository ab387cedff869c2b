import { Logger } from '@nestjs/common';
import { DelegationEnds } from './delegation-ends';

function build(fails = false) {
  const ended: string[] = [];
  const repository = {
    endDelegationsToUnqualified: async (userId: string) => {
      if (fails) throw new Error('connection lost');
      ended.push(userId);
      return 0;
    },
  };
  return { sut: new DelegationEnds(repository as never), ended };
}

describe(DelegationEnds.name, () => {
  it('ends the delegations to a user whose role changed or who was deactivated, not on a logout', async () => {
    const { sut, ended } = build();
    await sut.onAccessChanged({ userId: 'u1', reason: 'access_changed' });
    await sut.onAccessChanged({ userId: 'u2', reason: 'session_ended' });
    await sut.onAccessChanged({ userId: 'u3', sessionId: 's1', reason: 'session_ended' });
    expect(ended).toEqual(['u1', 'u2']);
  });

  it('logs a failure instead of throwing it at the emitter', async () => {
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      await expect(build(true).sut.onAccessChanged({ userId: 'u1', reason: 'access_changed' })).resolves.toBeUndefined();
      expect(warned).toHaveBeenCalledWith('Could not end the delegations to user u1: connection lost');
    } finally {
      warned.mockRestore();
    }
  });
});
