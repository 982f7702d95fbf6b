import { createHmac } from 'node:crypto';

/**
 * The keyed hash of an SKN for one team: HMAC-SHA256 under PSEUDONIEM_SLEUTEL over the team id and
 * the digits. Without the key nobody can test a number against it; another team's hashes differ.
 */
export function sknPseudoniem(sleutel: string, teamId: string): (skn: string) => string {
  return (skn) => createHmac('sha256', sleutel).update(`${teamId}\n${skn}`).digest('hex');
}
