import {
  createBaseThemeOptions,
  createUnifiedTheme,
  genPageTheme,
  palettes,
  shapes,
} from '@backstage/theme';

/** Akili brand colours: deep teal for navigation, amber for accents. */
export const akiliColors = {
  navy: '#0b2a3a',
  teal: '#0f766e',
  tealLight: '#2dd4bf',
  amber: '#f59e0b',
};

const pageThemes = {
  home: genPageTheme({
    colors: [akiliColors.navy, akiliColors.teal],
    shape: shapes.wave,
  }),
  documentation: genPageTheme({
    colors: [akiliColors.teal, akiliColors.tealLight],
    shape: shapes.wave2,
  }),
  tool: genPageTheme({
    colors: [akiliColors.navy, '#155e75'],
    shape: shapes.round,
  }),
  service: genPageTheme({
    colors: [akiliColors.teal, '#155e75'],
    shape: shapes.wave,
  }),
  website: genPageTheme({
    colors: [akiliColors.teal, '#155e75'],
    shape: shapes.wave,
  }),
  library: genPageTheme({
    colors: [akiliColors.teal, '#155e75'],
    shape: shapes.wave,
  }),
  other: genPageTheme({
    colors: [akiliColors.navy, akiliColors.teal],
    shape: shapes.wave,
  }),
  app: genPageTheme({
    colors: [akiliColors.navy, akiliColors.teal],
    shape: shapes.wave,
  }),
  apis: genPageTheme({
    colors: [akiliColors.navy, '#155e75'],
    shape: shapes.wave2,
  }),
};

/**
 * The sidebar's labels use the whole width beside the icon (Backstage fixes them at 110px and
 * cuts them with an ellipsis) and wrap onto a second line rather than being cut.
 */
const components = {
  BackstageSidebarItem: {
    styleOverrides: {
      iconContainer: { flexShrink: 0 },
      // An empty 48px slot after every label otherwise (it only holds a submenu's arrow).
      secondaryAction: { width: 'auto', minWidth: 8 },
      label: {
        width: 'auto',
        minWidth: 0,
        flex: '1 1 auto',
        whiteSpace: 'normal',
        overflow: 'visible',
        textOverflow: 'clip',
        lineHeight: 1.2,
        paddingRight: 8,
      },
    },
  },
} as Parameters<typeof createUnifiedTheme>[0]['components'];

export const akiliLightTheme = createUnifiedTheme({
  ...createBaseThemeOptions({
    palette: {
      ...palettes.light,
      // MUI's 0.54 black reads 4.47:1 on Backstage's #f5f5f5 content background, under WCAG AA.
      text: { secondary: 'rgba(0, 0, 0, 0.62)' },
      primary: { main: akiliColors.teal },
      secondary: { main: akiliColors.amber },
      navigation: {
        ...palettes.light.navigation,
        background: akiliColors.navy,
        indicator: akiliColors.amber,
        selectedColor: '#ffffff',
        color: '#b6c9d3',
      },
    },
  }),
  defaultPageTheme: 'home',
  pageTheme: pageThemes,
  components,
});

export const akiliDarkTheme = createUnifiedTheme({
  ...createBaseThemeOptions({
    palette: {
      ...palettes.dark,
      // Lighter than the brand teal: links keep 4.5:1 on a hovered table row (#515151) too.
      primary: { main: '#5eead4' },
      secondary: { main: akiliColors.amber },
      navigation: {
        ...palettes.dark.navigation,
        background: '#06161f',
        indicator: akiliColors.amber,
      },
    },
  }),
  defaultPageTheme: 'home',
  pageTheme: pageThemes,
  components,
});
