// Addresses in configuration strings: what discovery of service calls starts from.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { addressesIn, expandVariables } from '../../server/src/model/calls/addresses';

const hosts = (text: string, key?: string) => addressesIn(text, key).map((a) => `${a.host}:${a.port ?? '-'}/${a.evidence}`);

test('a URL: host, port from the string or the scheme, and the exact place of host:port', () => {
  const text = 'mongodb://carts-db:27017/data';
  const [a] = addressesIn(text);
  assert.deepEqual({ host: a.host, port: a.port, scheme: a.scheme, evidence: a.evidence }, { host: 'carts-db', port: 27017, scheme: 'mongodb', evidence: 'url' });
  assert.equal(text.slice(a.start, a.end), 'carts-db:27017');
  assert.deepEqual(hosts('http://dns-backend.development.svc.cluster.local:8000/x'), ['dns-backend.development.svc.cluster.local:8000/url']);
  assert.deepEqual(hosts('https://api.shop/v1'), ['api.shop:443/url']);
  assert.deepEqual(hosts('redis://cache'), ['cache:6379/url']);
});

test('connection strings: credentials, JDBC, host lists', () => {
  const text = 'postgresql://app:s3cr%40t@orders-db.shop:5432/orders?sslmode=disable';
  const [a] = addressesIn(text);
  assert.equal(a.host, 'orders-db.shop');
  assert.equal(text.slice(a.start, a.end), 'orders-db.shop:5432');
  assert.deepEqual(hosts('jdbc:mysql://catalogue-db:3306/socksdb'), ['catalogue-db:3306/url']);
  assert.deepEqual(hosts('jdbc:postgresql://pg/db'), ['pg:5432/url']);
  assert.deepEqual(hosts('mongodb://a:1,b:2,c/db?replicaSet=rs0'), ['a:1/url', 'b:2/url', 'c:27017/url']);
  assert.deepEqual(hosts('amqp://guest:guest@rabbitmq'), ['rabbitmq:5672/url']);
});

test('host:port and hosts after an address-like key or option', () => {
  assert.deepEqual(hosts('productcatalogservice:3550'), ['productcatalogservice:3550/host-port']);
  assert.deepEqual(hosts('kafka-0.kafka:9092,kafka-1.kafka:9092'), ['kafka-0.kafka:9092/host-port', 'kafka-1.kafka:9092/host-port']);
  assert.deepEqual(hosts('carts-db', 'DB_HOST'), ['carts-db:-/keyed']);
  assert.deepEqual(hosts('redis', 'REDIS_ADDR'), ['redis:-/keyed']);
  assert.deepEqual(hosts('--db-host=carts-db --port=80'), ['carts-db:-/keyed']);
  assert.deepEqual(hosts('-Dspring.redis.host=session-db'), ['session-db:-/keyed']);
  assert.deepEqual(hosts('zipkin.jaeger.svc.cluster.local', 'ZIPKIN'), ['zipkin.jaeger.svc.cluster.local:-/bare']);
});

test('near misses are not addresses: image tags, IPs, times, paths, numbers', () => {
  assert.deepEqual(hosts('busybox:1.36'), []);
  assert.deepEqual(hosts('10.0.0.1:8080'), []);
  assert.deepEqual(hosts('0.0.0.0:4317'), []);
  assert.deepEqual(hosts('http://10.1.2.3/'), []);
  assert.deepEqual(hosts('10:30'), []);
  assert.deepEqual(hosts('/etc/app/config.yaml'), []);
  assert.deepEqual(hosts('--metrics=15014'), []);
  assert.deepEqual(hosts('http://*:8080'), []);
  // Plain words are candidates only as bare words: the Services decide (a bare single word
  // never becomes a call on its own).
  assert.ok(addressesIn('production').every((a) => a.evidence === 'bare'));
});

test('$(VAR) is expanded from the container env, as the kubelet does', () => {
  const env = new Map([['OTEL_COLLECTOR_NAME', 'otel-collector']]);
  assert.equal(expandVariables('http://$(OTEL_COLLECTOR_NAME):4317', env), 'http://otel-collector:4317');
  assert.equal(expandVariables('$(UNSET):1', env), '$(UNSET):1');
  assert.deepEqual(hosts(expandVariables('http://$(OTEL_COLLECTOR_NAME):4317', env)), ['otel-collector:4317/url']);
});
