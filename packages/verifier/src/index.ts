export { bearerToken } from './bearer.js';
export {
  AdmissionError,
  type AdmissionErrorCode,
  type HttpErrorCode,
  type HttpRefusal,
  httpRefusal,
} from './errors.js';
export {
  type AdmissionRequiredOptions,
  admissionRequired,
  type ExpressLikeNext,
  type ExpressLikeRequest,
  type ExpressLikeResponse,
} from './express.js';
export {
  admissionPreHandler,
  type FastifyAdmissionHookOptions,
  type FastifyAdmissionOptions,
  fastifyAdmission,
} from './fastify.js';
export { CompletionReportError, type ReportCompletedOptions, reportCompleted } from './report-completed.js';
export {
  ADMISSION_ALGORITHMS,
  ADMISSION_TOKEN_TYPE,
  type Admission,
  type AdmissionVerifier,
  type AdmissionVerifierOptions,
  createAdmissionVerifier,
  DEFAULTS,
  type FetchLike,
  type VerifyOptions,
  verifyAdmissionToken,
} from './verifier.js';
