// oidc-provider 9 ships no type declarations; it is used untyped here.
declare module 'oidc-provider';
