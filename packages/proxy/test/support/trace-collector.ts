import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';

/**
 * The OTLP trace messages a collector decodes (opentelemetry-proto, trace/v1 and common/v1), written
 * out here independently of the SDK's encoder: just the fields the tests read.
 */
const root = protobuf.parse(
  `
  syntax = "proto3";
  message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; } }
  message KeyValue { string key = 1; AnyValue value = 2; }
  message Resource { repeated KeyValue attributes = 1; }
  message Status { string message = 2; int32 code = 3; }
  message Span {
    bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; string name = 5; int32 kind = 6;
    fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9; Status status = 15;
  }
  message ScopeSpans { repeated Span spans = 2; }
  message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
  message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
`,
  { keepCase: true },
).root;
const ExportTraceServiceRequest = root.lookupType('ExportTraceServiceRequest');

type Value = string | number | boolean;

/** A span as the collector received it, ids in hex, attributes flattened. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  /** 2 = SERVER. */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, Value>>;
  readonly resource: Readonly<Record<string, Value>>;
  /** 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
}

interface DecodedKeyValue {
  key: string;
  value?: { string_value?: string; bool_value?: boolean; int_value?: number; double_value?: number };
}

function attributes(list: readonly DecodedKeyValue[] | undefined): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const { key, value } of list ?? []) {
    const v = value?.string_value ?? value?.bool_value ?? value?.int_value ?? value?.double_value;
    if (v !== undefined) out[key] = v;
  }
  return out;
}

const hex = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('hex');

/**
 * A trace collector on 127.0.0.1 speaking the two protocols Shortline sends: OTLP over HTTP with
 * protobuf bodies (POST /v1/traces) and Zipkin's JSON v2 (POST /api/v2/spans). Both land in `spans`.
 */
export class TraceCollector {
  readonly spans: ReceivedSpan[] = [];
  /** Content types of the requests received, in order. */
  readonly contentTypes: string[] = [];
  readonly #server: Server;
  #port = 0;

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        this.contentTypes.push(req.headers['content-type'] ?? '');
        if (req.url === '/v1/traces') {
          this.#otlp(body);
          res.writeHead(200, { 'content-type': 'application/x-protobuf' });
          res.end();
        } else if (req.url === '/api/v2/spans') {
          this.#zipkin(body);
          res.writeHead(202);
          res.end();
        } else {
          res.writeHead(404);
          res.end();
        }
      });
    });
  }

  static async start(): Promise<TraceCollector> {
    const collector = new TraceCollector();
    await new Promise<void>((resolve) => collector.#server.listen(0, '127.0.0.1', resolve));
    collector.#port = (collector.#server.address() as AddressInfo).port;
    return collector;
  }

  get otlpUrl(): string {
    return `http://127.0.0.1:${this.#port}/v1/traces`;
  }

  get zipkinUrl(): string {
    return `http://127.0.0.1:${this.#port}/api/v2/spans`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #otlp(body: Buffer): void {
    const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), { longs: Number }) as {
      resource_spans?: { resource?: { attributes?: DecodedKeyValue[] }; scope_spans?: { spans?: Record<string, unknown>[] }[] }[];
    };
    for (const resourceSpans of request.resource_spans ?? []) {
      const resource = attributes(resourceSpans.resource?.attributes);
      for (const scope of resourceSpans.scope_spans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({
            traceId: hex(span['trace_id'] as Uint8Array),
            spanId: hex(span['span_id'] as Uint8Array),
            parentSpanId: hex(span['parent_span_id'] as Uint8Array | undefined),
            name: span['name'] as string,
            kind: (span['kind'] as number | undefined) ?? 0,
            attributes: attributes(span['attributes'] as DecodedKeyValue[] | undefined),
            resource,
            statusCode: (span['status'] as { code?: number } | undefined)?.code ?? 0,
          });
        }
      }
    }
  }

  /** Zipkin keeps tags as strings; numbers are read back as numbers. */
  #zipkin(body: Buffer): void {
    const spans = JSON.parse(body.toString('utf8')) as {
      traceId: string;
      id: string;
      parentId?: string;
      name: string;
      kind?: string;
      tags?: Record<string, string>;
      localEndpoint?: { serviceName?: string };
    }[];
    for (const span of spans) {
      const tags: Record<string, Value> = {};
      for (const [key, value] of Object.entries(span.tags ?? {})) tags[key] = value !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
      this.spans.push({
        traceId: span.traceId,
        spanId: span.id,
        parentSpanId: span.parentId ?? '',
        name: span.name,
        kind: span.kind === 'SERVER' ? 2 : 0,
        attributes: tags,
        resource: { 'service.name': span.localEndpoint?.serviceName ?? '' },
        statusCode: 0,
      });
    }
  }
}
