"use client";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => void;
}

/** "Are you sure?" for what cannot be undone (permanent deletes, Empty Trash). Cancel has focus first. */
export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest; onClose: () => void }) {
  return (
    <Dialog title={request.title} onClose={onClose}>
      <p className="text-sm">{request.message}</p>
      <div className="mt-4 flex justify-end gap-2">
        <Button data-autofocus onClick={onClose}>
          Cancel
        </Button>
        <Button
          variant="primary"
          className="bg-red-700 hover:bg-red-800"
          onClick={() => {
            onClose();
            request.onConfirm();
          }}
        >
          {request.confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
