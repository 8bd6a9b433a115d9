import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';

/** The messages the tests speak, defined independently of the code under test. */
const root = protobuf.parse(`
  syntax = "proto3";
  package fixtures;
  message HealthCheckRequest { string service = 1; }
  message HealthCheckResponse { int32 status = 1; }
  message EchoRequest { string text = 1; int32 repeat = 2; }
  message EchoReply { string text = 1; int32 index = 2; }
`).root;

type Message = Record<string, unknown>;

function codec(name: string): { serialize: (value: Message) => Buffer; deserialize: (bytes: Buffer) => Message } {
  const type = root.lookupType(`fixtures.${name}`);
  return {
    serialize: (value) => Buffer.from(type.encode(type.fromObject(value)).finish()),
    deserialize: (bytes) => type.toObject(type.decode(bytes)) as Message,
  };
}

const health = { request: codec('HealthCheckRequest'), response: codec('HealthCheckResponse') };
const echo = { request: codec('EchoRequest'), reply: codec('EchoReply') };

function method(path: string, requestCodec: ReturnType<typeof codec>, responseCodec: ReturnType<typeof codec>, responseStream: boolean) {
  return {
    path,
    requestStream: false,
    responseStream,
    requestSerialize: requestCodec.serialize,
    requestDeserialize: requestCodec.deserialize,
    responseSerialize: responseCodec.serialize,
    responseDeserialize: responseCodec.deserialize,
  };
}

const healthService = { Check: method('/grpc.health.v1.Health/Check', health.request, health.response, false) };
const echoService = {
  Say: method('/fixtures.Echo/Say', echo.request, echo.reply, false),
  Repeat: method('/fixtures.Echo/Repeat', echo.request, echo.reply, true),
};

export interface GrpcFixture {
  readonly port: number;
  /** Health status answered per service name ('' is the whole server); 1 = SERVING, 2 = NOT_SERVING. */
  readonly statuses: Map<string, number>;
  /** Services asked about, in order. */
  readonly asked: string[];
  close(): Promise<void>;
}

/** A real gRPC server (grpc-js) with the standard health service and a small echo service. */
export async function startGrpcFixture(): Promise<GrpcFixture> {
  const server = new grpc.Server();
  const statuses = new Map<string, number>([['', 1]]);
  const asked: string[] = [];
  server.addService(healthService, {
    Check(call: grpc.ServerUnaryCall<Message, Message>, callback: grpc.sendUnaryData<Message>) {
      const service = String(call.request['service'] ?? '');
      asked.push(service);
      const status = statuses.get(service);
      if (status === undefined) callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${service}` });
      else callback(null, { status });
    },
  });
  server.addService(echoService, {
    Say(call: grpc.ServerUnaryCall<Message, Message>, callback: grpc.sendUnaryData<Message>) {
      const text = String(call.request['text']);
      if (text === 'fail') {
        callback({ code: grpc.status.FAILED_PRECONDITION, details: 'asked to fail' });
        return;
      }
      const trailer = new grpc.Metadata();
      trailer.set('x-echo-trailer', `len=${text.length}`);
      callback(null, { text: `echo:${text}`, index: 0 }, trailer);
    },
    Repeat(call: grpc.ServerWritableStream<Message, Message>) {
      const times = Number(call.request['repeat']);
      for (let index = 0; index < times; index++) call.write({ text: String(call.request['text']), index });
      call.end();
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    port,
    statuses,
    asked,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

export interface EchoClient {
  say(text: string): Promise<{ reply: Message; trailers: Record<string, unknown> }>;
  repeat(text: string, times: number): Promise<Message[]>;
  close(): void;
}

/** A real grpc-js client for the echo service at `address` (host:port). */
export function echoClient(address: string): EchoClient {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return {
    say(text) {
      // grpc-js calls back before it emits the status that carries the trailers: wait for both.
      return new Promise((resolve, reject) => {
        let outcome: { error: Error | null; reply: Message | undefined } | undefined;
        const call = client.makeUnaryRequest(
          echoService.Say.path,
          echo.request.serialize,
          echo.reply.deserialize,
          { text, repeat: 0 },
          (error, reply) => {
            outcome = { error, reply };
          },
        );
        call.on('status', (status) => {
          if (outcome?.error) reject(outcome.error);
          else resolve({ reply: outcome?.reply as Message, trailers: status.metadata.getMap() });
        });
      });
    },
    repeat(text, times) {
      return new Promise((resolve, reject) => {
        const replies: Message[] = [];
        const call = client.makeServerStreamRequest(echoService.Repeat.path, echo.request.serialize, echo.reply.deserialize, {
          text,
          repeat: times,
        });
        call.on('data', (reply: Message) => replies.push(reply));
        call.on('error', reject);
        call.on('end', () => resolve(replies));
      });
    },
    close: () => client.close(),
  };
}
