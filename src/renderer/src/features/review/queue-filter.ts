import { REVIEW_STATUS } from '../../../../shared/domain/fields';

export { QueueFilter, type ReviewStatus } from '../../../../shared/channels/sources';
export const REVIEW_STATUS_LIST = REVIEW_STATUS;
