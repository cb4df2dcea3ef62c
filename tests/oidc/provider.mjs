// A real OpenID Connect provider for the tests: npm's oidc-provider (OpenID Certified), on
// 127.0.0.1, configured by one JSON argument:
//
//   node provider.mjs '{"port": 0, "clients": [...], "accounts": [...]}'
//
// clients: {client_id, client_secret, redirect_uris, tamper?}; a client with `tamper` gets ID
//   tokens that a relying party must refuse, still signed with this provider's published key:
//   "expired" (exp five minutes ago) or "audience" (for the client "someone-else").
// accounts: {email, email_verified}; the log-in form takes an e-mail address (no password)
//   and refuses any other.
// Redirect URIs on 127.0.0.1 match whatever their port (RFC 8252, clients of the "native" type),
// since the tests' app servers take free ports. Once it listens, the script prints one line of
// JSON with its issuer to stdout; it stops on SIGTERM.

import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2] || process.env.OIDC_CONFIG || '{}');
const accounts = new Map((config.accounts || []).map((a) => [a.email.toLowerCase(), a]));
const tampered = new Map(
  (config.clients || []).filter((c) => c.tamper).map((c) => [c.client_id, c.tamper]),
);

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };

const server = http.createServer();
await new Promise((resolve) => { server.listen(config.port || 0, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: (config.clients || []).map(({ tamper, ...client }) => ({
    application_type: 'native',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...client,
  })),
  jwks: { keys: [signingKey] },
  cookies: { keys: ['test-cookie-key-of-the-oidc-provider'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false, // the e-mail in the ID token, as Entra ID sends it
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  findAccount: (_ctx, id) => {
    const account = accounts.get(id);
    if (!account) return undefined;
    return {
      accountId: id,
      claims: () => ({ sub: id, email: account.email, email_verified: account.email_verified }),
    };
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
});

// An ID token with a claim a relying party must refuse, signed with the published key.
async function tamper(idToken, how) {
  const claims = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  if (how === 'expired') Object.assign(claims, { iat: now - 600, exp: now - 300 });
  if (how === 'audience') Object.assign(claims, { aud: 'someone-else', azp: 'someone-else' });
  return new jose.SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid, typ: 'JWT' })
    .sign(privateKey);
}

provider.use(async (ctx, next) => {
  await next();
  const how = ctx.oidc?.client && tampered.get(ctx.oidc.client.clientId);
  if (ctx.path === '/token' && how && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await tamper(ctx.body.id_token, how) };
  }
});

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><title>Test provider</title><body>${body}</body></html>`);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

// The log-in of the provider: one e-mail field; a known account is logged in and consents to
// the scopes asked for.
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    page(res, 200, `<h1>Test provider</h1><form method="post" action="/interaction/${details.uid}">
      <label>E-mail <input name="login" type="email" autocomplete="off"></label>
      <button type="submit">Sign in</button></form>`);
    return;
  }
  const login = ((await readForm(req)).get('login') || '').toLowerCase();
  if (!accounts.has(login)) {
    page(res, 401, `<p>No account ${escape(login)} at this provider.</p>`);
    return;
  }
  const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const result = { login: { accountId: login }, consent: { grantId: await grant.save() } };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
server.on('request', (req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => page(res, 400, escape(error.message)));
  } else {
    callback(req, res);
  }
});

process.on('SIGTERM', () => { server.close(); process.exit(0); });
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
