import {
  agreementStatements,
  desiredPolicy,
  parsePolicy,
  samePolicy,
} from './policyDocument';

describe('bucket policy documents', () => {
  const grant = {
    consumerTenant: 'globex',
    rgwUser: 'akili-globex',
    prefix: 'data/port/',
    agreementIds: ['b', 'a'],
  };

  it('derives the Sids from the first agreement id, whatever the order', () => {
    expect(agreementStatements('bkt', [grant]).map(s => s.Sid)).toEqual([
      'akili-agreement-a-get',
      'akili-agreement-a-list',
    ]);
  });

  it('refuses a prefix a policy would read as a wildcard', () => {
    expect(() =>
      agreementStatements('bkt', [{ ...grant, prefix: 'data/*/' }]),
    ).toThrow('Cannot grant s3://bkt/data/*/');
  });

  it('keeps foreign statements and deletes when nothing is left', () => {
    const foreign = { Sid: 'x', Effect: 'Allow' };
    const managed = { Sid: 'akili-agreement-old-get', Effect: 'Allow' };
    expect(
      desiredPolicy({ Statement: [foreign, managed] }, [])?.Statement,
    ).toEqual([foreign]);
    expect(desiredPolicy({ Statement: [managed] }, [])).toBeUndefined();
    // A statement without Sid is foreign.
    expect(
      desiredPolicy({ Statement: [{ Effect: 'Deny' }] }, [])?.Statement,
    ).toEqual([{ Effect: 'Deny' }]);
  });

  it('compares policies regardless of key order and one-element arrays', () => {
    expect(
      samePolicy(
        {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'] }],
        },
        parsePolicy(
          'b',
          '{"Statement":{"Action":"s3:GetObject","Effect":"Allow"},"Version":"2012-10-17"}',
        ),
      ),
    ).toBe(true);
    expect(
      samePolicy(
        { Statement: [{ Effect: 'Allow', Resource: ['a', 'b'] }] },
        { Statement: [{ Effect: 'Allow', Resource: ['b', 'a'] }] },
      ),
    ).toBe(false);
    expect(() => parsePolicy('bkt', 'nope')).toThrow(
      'The bucket policy of bkt is not JSON',
    );
  });
});
