// oidc-provider 9 ships no type declarations; the test uses it untyped.
declare module 'oidc-provider';
