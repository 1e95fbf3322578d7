/** A request for a person's approval, kept until decided, expired or used. */
export interface ApprovalRecord {
  id: string;
  state: 'pending' | 'approved' | 'declined' | 'expired' | 'used';
  /** The MCP client that asked (its declared name), for the four-eyes rule and the page. */
  clientName?: string;
  environment: string;
  tsgId: string;
  tool: string;
  /** The IR operation key (`configVersion.push`), for the audit log. */
  key: string;
  /** The arguments as sent upstream (control arguments left out), shown to the approver. */
  args: Record<string, unknown>;
  /** What the approval covers (see safety/fingerprint.ts): void once what would happen differs. */
  fingerprint: string;
  /** One line: what the call would do. */
  action: string;
  /** The approval prompt as text, tenant strings escaped: the diff, the pending changes. */
  message: string;
  /** The preview the model got, as JSON. */
  preview: Record<string, unknown>;
  createdAt: number;
  expiresAt: number;
  decidedBy?: string;
  decidedAt?: number;
  /** Why a decision was refused or a record voided. */
  note?: string;
  /** The request this one replaces (its change set changed while it waited). */
  replaces?: string;
}

export type NewApproval = Omit<ApprovalRecord, 'id' | 'state' | 'createdAt' | 'expiresAt'>;

/**
 * Where pending approvals and decisions live. In memory for one process; a shared store (Redis) lets replicas
 * see the same approvals. Every method is async so a networked store fits the same interface.
 */
export interface ApprovalStore {
  create(record: ApprovalRecord): Promise<void>;
  get(id: string): Promise<ApprovalRecord | undefined>;
  /** Pending ones, newest first, and recently decided ones. */
  list(): Promise<ApprovalRecord[]>;
  /**
   * Moves a record from one state to another atomically: returns the updated record, or undefined when it was
   * not in state `from` (decided by someone else meanwhile, expired).
   */
  transition(
    id: string,
    from: ApprovalRecord['state'],
    patch: Partial<Pick<ApprovalRecord, 'state' | 'decidedBy' | 'decidedAt' | 'note'>>,
  ): Promise<ApprovalRecord | undefined>;
}
