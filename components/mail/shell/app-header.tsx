"use client";

import { Button } from "@/components/ui/button";
import { Icon } from "@/components/ui/icon";
import { IconButton } from "@/components/ui/icon-button";
import { Menu } from "@/components/ui/menu";

/**
 * The top bar: folders (on narrow screens), the name, Compose, Refresh, and the account menu with
 * Settings, keyboard shortcuts and Sign out. Fits in 320 px: everything but Compose is an icon.
 */
export function AppHeader({
  login,
  displayName,
  showFolders,
  onToggleFolders,
  onCompose,
  onRefresh,
  onShortcuts,
  onSignOut,
}: {
  login: string;
  displayName: string;
  showFolders: boolean;
  onToggleFolders: () => void;
  onCompose: () => void;
  onRefresh: () => void;
  onShortcuts: () => void;
  onSignOut: () => void;
}) {
  const icon = "h-5 w-5";
  return (
    <header className="flex items-center gap-1 border-b border-slate-200 px-2 py-1.5 sm:gap-2 sm:px-4 dark:border-slate-800">
      <IconButton
        className="md:hidden"
        label={showFolders ? "Hide folders" : "Show folders"}
        aria-expanded={showFolders}
        aria-controls="folder-pane"
        onClick={onToggleFolders}
        icon={<Icon name="menu" className={icon} />}
      />
      <h1 className="mr-1 text-lg font-semibold tracking-tight">Letterbox</h1>
      <Button variant="primary" onClick={onCompose}>
        <Icon name="compose" className="h-4 w-4" />
        Compose
      </Button>
      <span className="ml-auto" />
      <IconButton label="Refresh" onClick={onRefresh} icon={<Icon name="refresh" className={icon} />} />
      <Menu
        label="Account"
        trigger={<IconButton label="Account" icon={<Icon name="userRound" className={icon} />} />}
        entries={[
          {
            kind: "label",
            content: (
              <>
                {displayName && <span className="block text-sm font-semibold text-slate-900 dark:text-slate-100">{displayName}</span>}
                <span className="block max-w-64 truncate font-normal">{login}</span>
              </>
            ),
          },
          { kind: "separator" },
          { kind: "link", href: "/settings", label: "Settings", icon: <Icon name="settings" className="h-4 w-4" /> },
          { kind: "item", label: "Keyboard shortcuts", icon: <Icon name="keyboard" className="h-4 w-4" />, onSelect: onShortcuts },
          { kind: "separator" },
          { kind: "item", label: "Sign out", icon: <Icon name="logOut" className="h-4 w-4" />, onSelect: onSignOut },
        ]}
      />
    </header>
  );
}
