// The staff workspace chunk, loaded by the router and fetched early by the
// sign-in page once the officer starts typing (one module, so both share the
// same import and the browser fetches it once).
export const loadStaffRoutes = () => import('./StaffRoutes.tsx').then((m) => m.StaffRoutes);
