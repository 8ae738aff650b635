import { argoRevisionOf, gitRefOf, repositoryPathOf } from '../../lib/gitops';

describe('repository revisions and paths', () => {
  it.each([
    ['main', { branch: 'main' }, 'main'],
    ['release/2024-q4', { branch: 'release/2024-q4' }, 'release/2024-q4'],
    ['refs/heads/v2', { branch: 'v2' }, 'v2'],
    ['v1.2.3', { tag: 'v1.2.3' }, 'v1.2.3'],
    ['2.0', { tag: '2.0' }, '2.0'],
    ['v1.2.3-rc.1', { tag: 'v1.2.3-rc.1' }, 'v1.2.3-rc.1'],
    ['refs/tags/stable', { tag: 'stable' }, 'stable'],
    ['refs/pull/7/head', { name: 'refs/pull/7/head' }, 'refs/pull/7/head'],
    ['0123456789abcdef0123456789abcdef01234567', { commit: '0123456789abcdef0123456789abcdef01234567' }, '0123456789abcdef0123456789abcdef01234567'],
  ])('reads %s as %j for Flux and %s for Argo CD', (revision, flux, argo) => {
    expect(gitRefOf(revision)).toEqual(flux);
    expect(argoRevisionOf(revision)).toBe(argo);
  });

  it('joins the dist/ path and a target folder, also when dist/ is the repository root', () => {
    expect(repositoryPathOf({ url: 'https://x.example.com/r.git', revision: 'main', path: 'deploy/dist' }, 'prod/eu')).toBe('deploy/dist/prod/eu');
    expect(repositoryPathOf({ url: 'https://x.example.com/r.git', revision: 'main', path: '' }, 'dev')).toBe('dev');
  });
});
