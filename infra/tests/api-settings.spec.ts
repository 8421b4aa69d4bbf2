import { API_SETTINGS_ENV as E, DEFAULT_API_SETTINGS, readApiSettings } from '../src/api-settings';
import { InfraConfigError } from '../src/errors';
import { readAppSettings } from '../src/settings';

describe('readApiSettings', () => {
  it('defaults to the stack-managed pool, no CORS origins, the local console as sign-in client', () => {
    expect(DEFAULT_API_SETTINGS).toEqual({
      corsOrigins: [],
      callbackUrls: ['http://localhost:4566/_imgpipe/'],
      logoutUrls: ['http://localhost:4566/_imgpipe/'],
      authDomainPrefix: 'imgpipe',
    });
    expect(readAppSettings({}).api).toEqual(DEFAULT_API_SETTINGS);
  });

  it('reads an external issuer, its audiences, scope prefix, origins and sign-in URLs', () => {
    expect(
      readApiSettings({
        [E.issuer]: 'https://login.example.com/',
        [E.audience]: 'api://imgpipe, web',
        [E.scopePrefix]: 'api://imgpipe/',
        [E.corsOrigins]: 'https://app.example.com,http://localhost:5173',
        [E.callbackUrls]: 'https://app.example.com/cb',
        [E.authDomainPrefix]: 'acme-images',
      }),
    ).toEqual({
      issuer: {
        url: 'https://login.example.com/',
        audience: ['api://imgpipe', 'web'],
        scopePrefix: 'api://imgpipe/',
      },
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
      callbackUrls: ['https://app.example.com/cb'],
      logoutUrls: ['https://app.example.com/cb'],
      authDomainPrefix: 'acme-images',
    });
  });

  it('refuses an issuer without an audience, and the reverse', () => {
    expect(() => readApiSettings({ [E.issuer]: 'https://login.example.com' })).toThrow(
      new InfraConfigError(
        'Expected both IMGPIPE_API_JWT_ISSUER and IMGPIPE_API_JWT_AUDIENCE or neither but received only IMGPIPE_API_JWT_ISSUER',
      ),
    );
    expect(() => readApiSettings({ [E.audience]: 'web' })).toThrow(
      'Expected both IMGPIPE_API_JWT_ISSUER and IMGPIPE_API_JWT_AUDIENCE or neither but received only IMGPIPE_API_JWT_AUDIENCE',
    );
  });

  it('refuses an http issuer, a path or wildcard as an origin, and plain http off localhost', () => {
    expect(() => readApiSettings({ [E.issuer]: 'http://login.example.com', [E.audience]: 'web' })).toThrow(
      'Expected an https issuer in IMGPIPE_API_JWT_ISSUER but received "http://login.example.com"',
    );
    expect(() => readApiSettings({ [E.corsOrigins]: 'https://app.example.com/' })).toThrow(
      'Expected an origin (scheme://host[:port], no path or trailing slash) in IMGPIPE_API_CORS_ORIGINS but received "https://app.example.com/"',
    );
    expect(() => readApiSettings({ [E.corsOrigins]: '*' })).toThrow(
      'Expected a URL in IMGPIPE_API_CORS_ORIGINS but received "*"',
    );
    expect(() => readApiSettings({ [E.callbackUrls]: 'http://app.example.com/cb' })).toThrow(
      'Expected an https URL (http only on localhost) in IMGPIPE_API_CALLBACK_URLS/IMGPIPE_API_LOGOUT_URLS but received "http://app.example.com/cb"',
    );
  });

  it('refuses a sign-in domain prefix Cognito would refuse', () => {
    expect(() => readApiSettings({ [E.authDomainPrefix]: 'my-aws-login' })).toThrow(InfraConfigError);
    expect(() => readApiSettings({ [E.authDomainPrefix]: 'Upper' })).toThrow(
      'Expected lower-case letters, digits and hyphens without aws/amazon/cognito in IMGPIPE_API_AUTH_DOMAIN_PREFIX but received "Upper"',
    );
  });
});
