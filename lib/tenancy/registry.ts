// Ownership facts live in lib/core (the layout, the policy engine and the GitOps objects read them too).
export type { TeamRecord } from '../core/owner';
export { teamsOf, registerTeam, markPlatformOwned, markTeamScope, isPlatformOwned, teamOwnerOf } from '../core/owner';
