import type {
  Automatic1111Img2ImgPayload,
  Automatic1111Txt2ImgPayload,
  ChatPayload,
  KandinskyMix2ImgPayload,
  KandinskyText2ImgPayload,
  ModelImagePayload,
} from './executor-payloads.js';

/** The Devoid request parameters every kind of job takes. */
export interface CommonParams {
  /** The end user the job is for: the queue is fair between users. */
  userId: string | number;
  chatId?: string | number;
  messageId?: string | number;
  /** Premium jobs get the larger share of the executors. */
  premium?: boolean;
  /** Check the prompt before queueing it. */
  moderate?: boolean;
  /** Kept for Devoid callers: results are always stored before `ok` is sent. */
  syncWithS3?: boolean;
  /** How many queued jobs this user may have (up to the server's ceiling). */
  maxUserQueueSize?: number;
  /** Made when absent; sending the same id again returns the same job. */
  requestId?: string;
  /** `url` (default): the result's content is the image URL; `base64`: its bytes. */
  responseFormat?: 'url' | 'base64';
  /** Where the server POSTs the job's final event. */
  webhook?: string;
}

/** An executor by type name, or one instance by its configured name. */
type InstanceName = string & {};

export type Text2ImgParams = CommonParams &
  (
    | { executor: 'automatic1111'; payload: Automatic1111Txt2ImgPayload }
    | { executor: 'kandinsky'; payload: KandinskyText2ImgPayload }
    | {
        executor: InstanceName;
        payload: Automatic1111Txt2ImgPayload | KandinskyText2ImgPayload;
      }
    | { model: string; payload: ModelImagePayload }
  );

export type Img2ImgParams = CommonParams & {
  executor: 'automatic1111' | InstanceName;
  payload: Automatic1111Img2ImgPayload;
};

export type Mix2ImgParams = CommonParams & {
  executor: 'kandinsky' | InstanceName;
  payload: KandinskyMix2ImgPayload;
};

export type ChatParams = CommonParams & { model: string; payload: ChatPayload };

export type GenerationParams =
  | Text2ImgParams
  | Img2ImgParams
  | Mix2ImgParams
  | ChatParams;
