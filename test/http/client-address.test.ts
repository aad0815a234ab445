import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigurationError, readEnvironment } from '../../src/config/env.ts';
import { clientAddress } from '../../src/http/client-address.ts';

const trust = (value: string) => readEnvironment({ CHORUS_TRUST_PROXY: value }).CHORUS_TRUST_PROXY;

describe('the client address of a request', () => {
  test('without CHORUS_TRUST_PROXY it is the socket’s peer, whatever X-Forwarded-For says', () => {
    assert.equal(clientAddress('198.51.100.7', '203.0.113.1', undefined), '198.51.100.7');
    assert.equal(
      clientAddress('::ffff:198.51.100.7', null, undefined),
      '198.51.100.7',
      'an IPv4 peer on a dual-stack socket',
    );
    assert.equal(clientAddress('2001:db8::1', '203.0.113.1', trust('false')), '2001:db8::1');
    assert.equal(clientAddress(undefined, '203.0.113.1', trust('true')), undefined, 'a closed socket');
  });

  test('behind one trusted proxy (true) it is the address that proxy appended, not what the client wrote before it', () => {
    assert.equal(clientAddress('10.0.0.2', '203.0.113.1', trust('true')), '203.0.113.1');
    assert.equal(clientAddress('10.0.0.2', '192.0.2.66, 203.0.113.1', trust('true')), '203.0.113.1');
    assert.equal(clientAddress('10.0.0.2', null, trust('true')), '10.0.0.2', 'no header: the peer');
    assert.equal(
      clientAddress('10.0.0.2', 'garbage', trust('true')),
      '10.0.0.2',
      'an entry that is no address is not believed',
    );
  });

  test('behind a number of proxies it is the address that many hops back', () => {
    assert.equal(clientAddress('10.0.0.3', '192.0.2.66, 203.0.113.1, 10.0.0.2', trust('2')), '203.0.113.1');
    assert.equal(
      clientAddress('10.0.0.3', '203.0.113.1', trust('2')),
      '203.0.113.1',
      'fewer hops than said: the farthest',
    );
  });

  test('behind listed proxies it is the nearest address that is none of them', () => {
    const listed = trust('10.0.0.0/8, 2001:db8::/32, 172.16.0.9');
    assert.equal(clientAddress('10.1.1.1', '192.0.2.66, 203.0.113.1, 172.16.0.9', listed), '203.0.113.1');
    assert.equal(clientAddress('::ffff:10.1.1.1', '203.0.113.1', listed), '203.0.113.1');
    assert.equal(clientAddress('2001:db8::5', '203.0.113.1', listed), '203.0.113.1');
    assert.equal(
      clientAddress('198.51.100.7', '203.0.113.1', listed),
      '198.51.100.7',
      'a peer that is no listed proxy is the client',
    );
    assert.equal(clientAddress('10.1.1.1', '10.2.2.2', listed), '10.2.2.2', 'all trusted: the farthest');
  });

  test('a CHORUS_TRUST_PROXY that is none of these stops start-up naming it', () => {
    for (const value of ['yes', '10.0.0.0/33', 'proxy.example.com', '11', '10.0.0.1/8/2']) {
      assert.throws(
        () => trust(value),
        (error: unknown) => error instanceof ConfigurationError && /CHORUS_TRUST_PROXY/.test(error.message),
        value,
      );
    }
  });
});
