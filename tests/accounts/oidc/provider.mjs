// A real OpenID Provider for the single sign-on tests: the certified `oidc-provider` package, on
// loopback, with one client and a few accounts. tests/accounts/oidc/provider.py starts it.
//
//   node provider.mjs CONFIG.json
//
// CONFIG.json: {"client": {client_id, client_secret, redirect_uris, post_logout_redirect_uris},
//               "accounts": {"<login>": {"password": "...", "amr": ["pwd", "mfa"], "claims": {...}}}}
// It listens on a free port of 127.0.0.1 and prints one line, `ready <issuer>`, once it answers.
// The sign-in page is a plain form (login and password, no script), so a test can use it from a
// browser or with plain HTTP requests.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = config.accounts;

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escape(title)}</title></head>`
    + `<body><h1>${escape(title)}</h1>${body}</body></html>`;
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(new URLSearchParams(data)));
    req.on('error', reject);
  });
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', use: 'sig', alg: 'RS256' };

let provider;
const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://127.0.0.1');
    const match = url.pathname.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!match) {
      provider.callback()(req, res);
      return;
    }
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(page('Sign in to the test provider', `
        <form method="post" action="/interaction/${escape(details.uid)}/login">
          <label for="login">Login</label> <input id="login" name="login" autocomplete="off">
          <label for="password">Password</label> <input id="password" name="password" type="password">
          <button type="submit">Sign in</button>
        </form>`));
      return;
    }
    const form = await readForm(req);
    const account = accounts[form.get('login')];
    if (!account || account.password !== form.get('password')) {
      res.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page('Wrong login or password', '<p>Go back and try again.</p>'));
      return;
    }
    await provider.interactionFinished(req, res, {
      login: { accountId: form.get('login'), amr: account.amr || ['pwd'] },
    }, { mergeWithLastSubmission: false });
  } catch (error) {
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end(String(error));
  }
});

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, {
    clients: [{
      ...config.client,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // The package's own page loads web fonts from another site; this one loads nothing.
        async logoutSource(ctx, form) {
          ctx.body = page('Sign out of the test provider', `${form}
            <p>Do you want to sign out of the test provider too?</p>
            <button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
            <button type="submit" form="op.logoutForm">No, stay signed in</button>`);
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'groups', 'bluestone'],
    claims: {
      // `amr` (how the person signed in: pwd, mfa) in every ID token, as Entra ID sends it.
      openid: ['sub', 'amr'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      groups: ['groups'],
      bluestone: ['bluestone_role', 'bluestone_team'],
    },
    // A client of the force's own: consent is given by the organisation, not asked of each officer.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) {
        return ctx.oidc.provider.Grant.find(grantId);
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile groups bluestone');
      await grant.save();
      return grant;
    },
    async findAccount(ctx, id) {
      const account = accounts[id];
      if (!account) {
        return undefined;
      }
      return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
    },
  });
  provider.on('server_error', (ctx, error) => { console.error('server_error', error); });
  process.stdout.write(`ready ${issuer}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => { server.close(); process.exit(0); });
}
